// The invalidation bus: how every instance learns, within a second, that something its in-process
// caches hold (server/cache/tenant-cache.ts) changed — a tenant's pause or deletion state, its
// signing keys, OAuth clients, API keys, policies, or the global policy.
//
// Design: PostgreSQL LISTEN/NOTIFY, not Redis pub/sub.
//  * The NOTIFY comes from triggers on the changed tables (migration 20261206102000_cache_invalidation),
//    so it is part of the changing transaction: delivered on COMMIT, never for a rollback, in commit
//    order, and no write path (a service, a job, the CLI, the purge, a DBA's UPDATE) can forget it.
//    Redis pub/sub would be sent outside the transaction (before commit: readers re-cache the old
//    value; after: lost when the process dies in between) and Redis is optional here.
//  * Each instance holds ONE dedicated connection (the pool's URL, i.e. the login role; LISTEN and
//    pg_notify need no privilege) that only LISTENs. A heartbeat NOTIFY on it every few seconds
//    proves the path end to end; while it is down or silent the caches are bypassed (every request
//    reads the database, as before), and on reconnect they are flushed (notifications were missed).
//  * Embedded PGlite serves one shared backend session to every socket, so a notification reaches
//    the socket that committed, not the listener: there the bus is local (this process's own changes
//    are dispatched at once by the repositories, see invalidateLocally) and cached entries live at
//    most EMBEDDED_ENTRY_TTL_MS, which bounds what the launcher's job worker (another process) changes.
//
// A cached value is stored only if no invalidation of its tenant arrived after its read began
// (tickets): a reader whose snapshot predates a commit cannot re-cache the old value after the
// commit's notification.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { env } from "../env";

export const CHANNEL = "credo_cache";
/** Target of a change that concerns every tenant (the global policy). */
export const ALL_TENANTS = "*";
/** Embedded store: longest an entry is served (covers changes made by another process). */
export const EMBEDDED_ENTRY_TTL_MS = 1_000;
/** Real server: entries are refreshed at least this often even without a notification (defence in depth). */
export const LISTENED_ENTRY_TTL_MS = 5 * 60_000;
/** Heartbeat period, and how long a heartbeat may take before the bus counts as down. */
export const HEARTBEAT_MS = 5_000;
export const HEARTBEAT_TIMEOUT_MS = 2_000;
const SYNC_PREFIX = "sync:";
const TENANT_SEQ_MAX = 50_000;

export type InvalidationListener = (target: string) => void;

function log(level: "warn" | "error" | "info", msg: string, extra: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level, msg, ...extra }));
}

/** One listener connection and the subscribers it feeds. Tests create several (as instances would). */
export class InvalidationBus {
  private client: pg.Client | null = null;
  private connected = false;
  private stopped = false;
  private started = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<InvalidationListener>();
  private readonly syncWaiters = new Map<string, () => void>();
  /** Ticket counter: bumped by every dispatch. */
  private seq = 0;
  private allSeq = 0;
  private readonly tenantSeq = new Map<string, number>();

  /** url null: a local bus (embedded store, or no database): only invalidateLocally dispatches. */
  constructor(private readonly url: string | null) {}

  get mode(): "listen" | "local" {
    return this.url ? "listen" : "local";
  }

  /** Starts listening (idempotent, does not wait). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.url) void this.connect();
  }

  /** Caches may serve entries: always on a local bus; while connected and heartbeating otherwise. */
  usable(): boolean {
    if (!this.started) this.start();
    return this.mode === "local" || this.connected;
  }

  entryTtlMs(): number {
    return this.mode === "local" ? EMBEDDED_ENTRY_TTL_MS : LISTENED_ENTRY_TTL_MS;
  }

  subscribe(fn: InvalidationListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A ticket for a read about to begin; see stale(). */
  ticket(): number {
    return this.seq;
  }

  /** True when the tenant (or everything) was invalidated after `ticket` was taken: do not cache the read. */
  stale(ticket: number, tenantId: string): boolean {
    return this.allSeq > ticket || (this.tenantSeq.get(tenantId) ?? 0) > ticket;
  }

  /** Drops the tenant's entries ('*': every entry) in this process, now. */
  invalidateLocally(target: string): void {
    this.seq++;
    if (target === ALL_TENANTS) {
      this.allSeq = this.seq;
      this.tenantSeq.clear();
    } else {
      if (this.tenantSeq.size >= TENANT_SEQ_MAX) {
        this.tenantSeq.clear();
        this.allSeq = this.seq;
      }
      this.tenantSeq.set(target, this.seq);
    }
    for (const fn of this.listeners) {
      try {
        fn(target);
      } catch (e) {
        log("error", "cache invalidation listener failed", { error: String(e) });
      }
    }
  }

  /**
   * Resolves once every notification committed before this call has been dispatched here
   * (notifications arrive in commit order: our own marker comes after them). Tests and tools only.
   */
  async settled(timeoutMs = 2_000): Promise<void> {
    if (this.mode === "local") return;
    this.start();
    const deadline = Date.now() + timeoutMs;
    while (!this.connected) {
      if (Date.now() > deadline) throw new Error("cache invalidation bus: not connected");
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.roundTrip(Math.max(1, deadline - Date.now()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) await c.end().catch(() => undefined);
  }

  private async roundTrip(timeoutMs: number): Promise<void> {
    const c = this.client;
    if (!c) throw new Error("cache invalidation bus: not connected");
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      this.syncWaiters.set(id, resolve);
      timer = setTimeout(() => reject(new Error("cache invalidation bus: no heartbeat")), timeoutMs);
      timer.unref();
    });
    try {
      await c.query("SELECT pg_notify($1, $2)", [CHANNEL, SYNC_PREFIX + id]);
      await arrived;
    } finally {
      clearTimeout(timer);
      this.syncWaiters.delete(id);
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.url) return;
    const c = new pg.Client({ connectionString: this.url, keepAlive: true, application_name: "credo-cache-bus" });
    this.client = c;
    c.on("notification", (n) => {
      if (n.channel !== CHANNEL) return;
      const payload = n.payload ?? ALL_TENANTS;
      if (payload.startsWith(SYNC_PREFIX)) {
        this.syncWaiters.get(payload.slice(SYNC_PREFIX.length))?.();
        return;
      }
      this.invalidateLocally(payload);
    });
    c.on("error", (e) => this.lost(c, e));
    c.on("end", () => this.lost(c, new Error("connection ended")));
    // A listener connection must never keep a script or test process alive (also while connecting).
    (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      if (this.client !== c) return;
      this.connected = true;
      this.retryMs = 250;
      // Anything cached before may have missed notifications while we were away.
      this.invalidateLocally(ALL_TENANTS);
      this.heartbeatTimer = setInterval(() => {
        this.roundTrip(HEARTBEAT_TIMEOUT_MS).catch((e: unknown) => this.lost(c, e));
      }, HEARTBEAT_MS);
      this.heartbeatTimer.unref();
    } catch (e) {
      this.lost(c, e);
    }
  }

  private lost(c: pg.Client, e: unknown): void {
    if (this.client !== c) return;
    const wasConnected = this.connected;
    this.client = null;
    this.connected = false;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    c.end().catch(() => undefined);
    this.invalidateLocally(ALL_TENANTS);
    if (this.stopped) return;
    if (wasConnected) log("warn", "cache invalidation bus lost; caches bypassed until it is back", { error: String(e) });
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
  }
}

const globalForBus = globalThis as unknown as { credoInvalidationBus?: InvalidationBus };

/** The process's bus: LISTEN on a real server, local on embedded PGlite. */
export function invalidationBus(): InvalidationBus {
  return (globalForBus.credoInvalidationBus ??= new InvalidationBus(env.CREDO_EMBEDDED === "1" || !env.DATABASE_URL ? null : env.DATABASE_URL));
}

/**
 * Called by the repositories that change cached data, inside the changing transaction: drops this
 * process's entries at once (so the writer's next request reads afresh); the trigger's NOTIFY then
 * reaches every instance, this one included, after COMMIT.
 */
export function tenantDataChanged(tenantId: string): void {
  invalidationBus().invalidateLocally(tenantId);
}
