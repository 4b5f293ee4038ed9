// The embedded PGlite socket server under concurrent connections: parameterized queries outside a
// transaction (the job worker's kind) next to transactions of other connections (the app's kind)
// must neither fail, nor hang, nor get another query's answer (server/db/embedded.ts,
// keepExtendedQueriesWhole; without it this test hangs).
import { describe, expect, it } from "vitest";
import pg from "pg";
import { servePGlite } from "./embedded";
import { openPGlite } from "./pglite";

describe("embedded PGlite socket server", () => {
  it("keeps extended-protocol queries of concurrent connections whole", { timeout: 120_000 }, async () => {
    const served = await servePGlite(await openPGlite(), { port: 0 });
    const a = new pg.Pool({ connectionString: served.url, max: 2 });
    const b = new pg.Pool({ connectionString: served.url, max: 2 });
    const problems: string[] = [];
    const plain = async (k: number) => {
      for (let i = 0; i < 200; i++) {
        const n = i * 10 + k;
        try {
          const r = await a.query<{ n: number }>("SELECT $1::int AS n", [n]);
          if (r.rows[0]?.n !== n) problems.push(`wrong answer ${r.rows[0]?.n} for ${n}`);
        } catch (e) {
          problems.push(String(e));
        }
      }
    };
    const transactions = async () => {
      for (let i = 0; i < 200; i++) {
        const c = await b.connect();
        try {
          await c.query("BEGIN");
          const r = await c.query<{ m: number }>("SELECT $1::int AS m", [i]);
          if (r.rows[0]?.m !== i) problems.push(`wrong answer in a transaction`);
          await c.query("COMMIT");
        } catch (e) {
          problems.push(String(e));
          await c.query("ROLLBACK").catch(() => undefined);
        } finally {
          c.release();
        }
      }
    };
    try {
      await Promise.all([plain(1), plain(2), transactions(), transactions()]);
    } finally {
      await a.end();
      await b.end();
      await served.stop();
    }
    expect(problems).toEqual([]);
  });
});
