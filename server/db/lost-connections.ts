// A database connection the server ends (restart, failover, pg_terminate_backend, an idle timeout)
// must fail the work that was using it, never the process.
//
// pg reports such an end as an "error" event: on the pool while the connection sits idle, on the
// client itself while it is checked out. pg-pool listens only while a connection is idle; a
// connection lost while checked out but between two statements (a transaction waiting on the
// console's own code) would emit "error" with no listener, which Node turns into an uncaught
// exception. Every pool of server/db is made to keep listening for the connection's whole life: the
// loss is logged, the next statement on that connection fails (so its transaction fails and its
// caller sees an error), and the pool drops the connection when it is released.
import "server-only";
import type pg from "pg";
import { logger, runWithLogContext, scrubText } from "../observability/logger";

/** Makes a lost connection of `pool` a logged event and a failed statement, not a crash. */
export function surviveLostConnections(pool: pg.Pool, name: string): void {
  pool.on("connect", (client) => {
    // A socket's events run in the async context of whoever opened it: without a context of its
    // own, the line would name that long-gone request, its tenant and operator.
    client.on("error", (e) => runWithLogContext({}, () => logger.warn({ pool: name, error: scrubText(e.message) }, "database connection lost")));
  });
  // pg-pool re-emits an idle connection's error here; the client's own listener above logged it.
  pool.on("error", () => undefined);
}
