import pg from "pg";
const q = pg.Client.prototype.query as any;
(pg.Client.prototype as any).query = function (this: any, ...a: any[]) { const f = a[0]; if (f && typeof f === "object" && f.text?.includes("audit_events")) console.log(JSON.stringify({ text: f.text, values: f.values })); return q.apply(this, a); };
const { inTenant } = await import("../server/db/doors");
const { listAuditEvents } = await import("../server/audit/repository");
const { tenantIdFromDatabase } = await import("../server/tenancy/tenant-id");
await inTenant(tenantIdFromDatabase("012821be-af7e-49c7-8242-a8ef4c83f59e"), (s) => listAuditEvents(s, { actionPrefix: "client.", from: new Date(Date.now() - 7 * 86400000), limit: 50 }));
process.exit(0);
