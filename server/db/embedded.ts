// Embedded PostgreSQL for development without a server: PGlite 0.5.14 (PostgreSQL 18 in WASM, in
// this process) served on a local TCP port by pglite-socket, so the app, `pg` and the Prisma CLI all
// talk to it exactly as to a real server (postgres://postgres@127.0.0.1:<port>/postgres).
//
// What differs from a real server (see /work/shared/notes/prisma.md):
//  * user, password and database name are ignored: every connection is superuser `postgres` in
//    `postgres`, and ALL connections share ONE backend session (the socket server multiplexes them).
//  * While one connection has an open transaction, the multiplexer serves only that connection:
//    inside an interactive transaction, awaiting a query on ANOTHER pooled connection deadlocks
//    until the transaction times out.
//  * Connections beyond `maxConnections` are dropped at accept time (the client sees "Connection
//    terminated unexpectedly"). The app's pg pool `max` MUST stay below EMBEDDED_MAX_CONNECTIONS,
//    leaving room for the Prisma CLI (`migrate deploy` uses a pool of 2 when CREDO_EMBEDDED=1, see
//    server/db/migrator-adapter.ts) and for a psql session.
//  * Never use PGlite 0.4.x: after an SQL error its replies shift by one.
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export const EMBEDDED_DEFAULT_PORT = 5499;
/** Socket connections accepted at once. App pool (≤ 4, server/db/client.ts) + CLI (2) + slack. */
export const EMBEDDED_MAX_CONNECTIONS = 10;

export interface EmbeddedPostgres {
  /** postgres:// URL usable by `pg`, adapter-pg and the Prisma CLI. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves an open PGlite on host:port (port 0 = any free port). Stopping also closes `db`. */
export async function servePGlite(
  db: PGlite,
  opts: { host?: string; port?: number; maxConnections?: number } = {},
): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({
    db,
    host,
    port: opts.port ?? 0,
    maxConnections: opts.maxConnections ?? EMBEDDED_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    throw portError(error, host, opts.port ?? 0);
  }
  // getServerConn() is "host:port" with the port the OS actually bound.
  const port = Number(server.getServerConn().split(":").pop());
  let stopped = false;
  return {
    url: `postgresql://postgres@${host.includes(":") ? `[${host}]` : host}:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Opens (initialising on first use, 3–9 s) the persistent PGlite database in `dataDir` and serves
 * it on 127.0.0.1:`port` (default 5499). Fails with a clear message if the port is taken — checked
 * BEFORE opening the data directory, so a second instance never opens the same files.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  host?: string;
}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port ?? EMBEDDED_DEFAULT_PORT;
  await assertPortFree(host, port);
  mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir);
  try {
    return await servePGlite(db, { host, port });
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

function portError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") {
    return new Error(
      `Embedded PostgreSQL: port ${port} on ${host} is already in use (another \`npm run dev\`?). ` +
        `Stop that process or choose another port.`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) => reject(portError(error, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
