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
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { openPGlite } from "./pglite";

export const EMBEDDED_DEFAULT_PORT = 5499;
/**
 * Socket connections accepted at once: next's pool (≤ 4, server/db/client.ts) + the launcher's job
 * worker (graphile 2, one held for LISTEN, + its Prisma pool capped at 2; server/cli/serve.ts) = 8,
 * leaving 2 for a psql session. The Prisma CLI (2) runs only before the worker starts.
 */
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
  keepExtendedQueriesWhole(server);
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
  const db = await openPGlite(opts.dataDir);
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

// ---------------------------------------------------------------------------------------------
// pglite-socket 0.2.17 multiplexes every connection's protocol messages onto the one backend, one
// MESSAGE at a time, and keeps a connection exclusive only while a transaction is open. A query
// with parameters outside a transaction is several messages (Parse, Bind, Describe, Execute, Sync):
// another connection's message in between — e.g. a simple "BEGIN", which destroys the unnamed
// prepared statement — makes it fail ("unnamed prepared statement does not exist") or can stall the
// queue. The app's own queries always run inside door transactions (BEGIN is one simple-protocol
// message), but the job worker's (graphile-worker: polling, completing jobs, heartbeats) do not.
// So: a connection that has started an extended-protocol sequence keeps the backend until its Sync.
// This replaces the queue's processQueue with the same logic plus that rule (pinned version; the
// embedded tests exercise it).
// ---------------------------------------------------------------------------------------------

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
  /** Added here: the last handler is inside an extended-protocol sequence (before its Sync). */
  midSequence?: boolean;
}

// Frontend message types: P Parse, B Bind, D Describe, E Execute, C Close, H Flush; S Sync; Q Query.
const SEQUENCE_TYPES = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SEQUENCE_ENDS = new Set([0x53, 0x51]);

function keepExtendedQueriesWhole(server: PGLiteSocketServer): void {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== "function" || typeof q.clearTransactionIfNeeded !== "function") {
    throw new Error("pglite-socket's query queue is not what server/db/embedded.ts expects: check the pinned version.");
  }
  q.midSequence = false;
  q.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let item: QueuedMessage | undefined;
        if ((this.midSequence || this.db.isInTransaction()) && this.lastHandlerId !== null) {
          const i = this.queue.findIndex((m) => m.handlerId === this.lastHandlerId);
          item = i === -1 ? undefined : this.queue.splice(i, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break; // the exclusive connection's next message has not arrived yet
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        const type = item.message[0] ?? 0;
        if (SEQUENCE_ENDS.has(type)) this.midSequence = false;
        else if (SEQUENCE_TYPES.has(type)) this.midSequence = true;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearTransactionIfNeeded.bind(q);
  q.clearTransactionIfNeeded = async function clearTransactionIfNeeded(this: QueryQueue, handlerId: number) {
    // A connection that went away mid-sequence must not keep the backend.
    if (this.midSequence && this.lastHandlerId === handlerId) {
      this.midSequence = false;
      if (!this.db.isInTransaction()) {
        this.lastHandlerId = null;
        await this.processQueue();
        return;
      }
    }
    await clear(handlerId);
  };
}
