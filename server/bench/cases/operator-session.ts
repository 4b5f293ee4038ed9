// Case "operator session check": what the server-side session check adds to every signed-in
// request. loadOperator (server/tenancy/context.ts) now reads the user, their session row and the
// global policy version in ONE query inside the user door, and writes last_seen_at at most once a
// minute. Compared with the check it replaced (the user row only, same door) and raw pg.
import { asUser, onPlatform } from "../../db/doors";
import { createSession, LAST_SEEN_GRANULARITY_MS } from "../../auth/sessions";
import { readOperatorPolicy } from "../../auth/operator-policy";
import { loadOperator } from "../../tenancy/context";
import { createUser } from "../../accounts/platform-users-repository";
import { measureInterleaved, seededRandom, type Iteration } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "operator session check";
const USERS = 50;

export const operatorSessionCase: BenchCase = {
  name: "operator-session",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    ctx.log(`creating ${USERS} operators with one session each`);
    const base = new Date();
    const users: { id: string; sid: string }[] = [];
    for (let i = 0; i < USERS; i++) {
      users.push(
        await onPlatform(async (db) => {
          const u = await createUser(db, { email: `${ctx.runId}-op${i}@bench.test`, name: `op ${i}`, passwordHash: null });
          const s = await createSession(db, { userId: u.id, authMethod: "password", ip: null, userAgent: "bench" }, await readOperatorPolicy(db), base);
          return { id: u.id, sid: s.id };
        }),
      );
    }
    const rand = seededRandom(0x5e5510);
    const pick = Array.from({ length: warmup + n }, () => users[Math.floor(rand() * users.length)]!);
    const at = ({ i, warmup: w }: Iteration) => pick[w ? i : warmup + i]!;
    // Within a minute of the session's last write: the common case (a read, no UPDATE).
    const readNow = new Date(base.getTime() + 1000);
    // Round robin over the users with a synthetic clock 61 s / USERS further per call: each session
    // is seen again 61 s later, so every call also writes last_seen_at (all within the idle timeout).
    let call = 0;
    const writeNow = () => new Date(base.getTime() + ++call * ((LAST_SEEN_GRANULARITY_MS + 1000) / USERS));

    const r = await measureInterleaved(
      {
        sql: async (it: Iteration) => {
          const u = at(it);
          await ctx.ownerPool.query(
            `SELECT u.id, u.status, s.revoked_at, s.last_seen_at FROM users u LEFT JOIN operator_sessions s ON s.id = $2 AND s.user_id = u.id WHERE u.id = $1`,
            [u.id, u.sid],
          );
        },
        before: async (it: Iteration) => {
          const u = at(it);
          await asUser(u.id, (db) => db.user.findUnique({ where: { id: u.id }, select: { id: true, email: true, name: true, platformRole: true, status: true } }));
        },
        session: async (it: Iteration) => {
          const u = at(it);
          await loadOperator(u.id, u.sid, readNow);
        },
        touch: async () => {
          const now = writeNow();
          const u = users[call % USERS]!;
          await loadOperator(u.id, u.sid, now);
        },
      },
      { n, warmup },
    );
    const d = r.session.p50 - r.before.p50;
    const added = `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(3)}`;
    ctx.detail("operator session check: added cost", [
      `p50: user row only ${r.before.p50.toFixed(3)} ms → user + session + policy version ${r.session.p50.toFixed(3)} ms (${added} ms per request)`,
      `p95: ${r.before.p95.toFixed(3)} ms → ${r.session.p95.toFixed(3)} ms; with the once-a-minute last_seen_at write: p50 ${r.touch.p50.toFixed(3)} ms`,
    ]);
    return [
      row(TITLE, "loadOperator (user + session row)", r.session, { baseline: r.before, note: `${added} ms p50 per request` }),
      row(TITLE, "loadOperator + last_seen_at write", r.touch, { baseline: r.before, note: "1st request of a session in a minute" }),
      row(TITLE, "raw pg (user ⋈ session)", r.sql, { baseline: r.before, note: "1 SELECT, owner connection" }),
      row(TITLE, "user row only (before sessions)", r.before, { isBaseline: true, note: "asUser + users.findUnique" }),
    ];
  },
};
