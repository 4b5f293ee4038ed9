import { installStatementLog, recordCalls } from "../server/db/statement-log";
import { inTenant } from "../server/db/doors";
import { listAuditEvents } from "../server/audit/repository";
import { tenantIdFromDatabase } from "../server/tenancy/tenant-id";
import pg from "pg";
installStatementLog();
const owner = new pg.Pool({ connectionString: process.env.DATABASE_URL!.replace("credo_runtime:bench@", "postgres@") });
const { rows } = await owner.query("SELECT tenant_id FROM audit_events GROUP BY tenant_id HAVING count(*) < 5000 LIMIT 1");
const t = tenantIdFromDatabase(rows[0].tenant_id);
const since = new Date(Date.now() - 7 * 86400000);
const f = { actionPrefix: "client.", from: since, limit: 50 };
await inTenant(t, (s) => listAuditEvents(s, f));
const { calls } = await recordCalls(() => inTenant(t, (s) => listAuditEvents(s, f)));
for (const c of calls) console.log(c.text);
console.log("tenant", t);
const N = Number(process.env.N ?? 0);
if (N) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await inTenant(t, (s) => listAuditEvents(s, f));
  console.log("door ms/op", (performance.now() - t0) / N);
}
process.exit(0);
