import pg from "pg";
const { prismaClient } = await import("../server/db/client");
const { inTenant } = await import("../server/db/doors");
const { listAuditEvents } = await import("../server/audit/repository");
const { tenantIdFromDatabase } = await import("../server/tenancy/tenant-id");
const url = process.env.DATABASE_URL!;
const pool = new pg.Pool({ connectionString: url, max: 4 });
const T = "012821be-af7e-49c7-8242-a8ef4c83f59e"; const t = tenantIdFromDatabase(T);
const since = new Date(Date.now() - 7 * 86400000);
const SQL = `SELECT * FROM audit_events WHERE tenant_id = $1 AND occurred_at >= $2 AND action >= $3 AND action < $4 ORDER BY id DESC LIMIT 51`;
const P = [T, since, "client.", "client/"];
const cases: Record<string, () => Promise<unknown>> = {
  raw: () => pool.query(SQL, P),
  rawTx3: async () => { const c = await pool.connect(); try { await c.query(`BEGIN; SELECT set_config('role','credo_app',true), set_config('app.tenant_id','${T}',true)`); await c.query(SQL, P); await c.query("COMMIT"); } finally { c.release(); } },
  rawTx1: async () => { const c = await pool.connect(); try { await c.query(`BEGIN; SELECT set_config('role','credo_app',true), set_config('app.tenant_id','${T}',true)`); const r = c.query(SQL, P); const cm = c.query("COMMIT"); await r; await cm; } finally { c.release(); } },
  rawEmpty: async () => { const c = await pool.connect(); try { await c.query(`BEGIN; SELECT set_config('role','credo_app',true), set_config('app.tenant_id','${T}',true)`); await c.query("COMMIT"); } finally { c.release(); } },
  prismaEmpty: () => prismaClient().$transaction(async () => null),
  doorEmpty: () => inTenant(t, async () => null),
  door: () => inTenant(t, (s) => listAuditEvents(s, { actionPrefix: "client.", from: since, limit: 50 })),
};
const N = Number(process.env.N ?? 1000);
for (const k of Object.keys(cases)) for (let i = 0; i < 100; i++) await cases[k]!();
const res: Record<string, number[]> = {};
for (let i = 0; i < N; i++) for (const k of Object.keys(cases)) { const t0 = performance.now(); await cases[k]!(); (res[k] ??= []).push(performance.now() - t0); }
for (const [k, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(k.padEnd(10), "p50", v[Math.floor(v.length / 2)]!.toFixed(3), "p95", v[Math.floor(v.length * 0.95)]!.toFixed(3)); }
process.exit(0);
