// Per-tenant concurrency: no tenant may hold more than its share of this instance's database pool.
//
// Every tenant transaction (server/db/doors.ts `inTenant`) takes one of its tenant's slots first:
// slots = max(1, floor(TENANT_POOL_SHARE × pool size)), default 0.5 × DATABASE_POOL_MAX. A tenant
// with all its slots busy waits (first come, first served) up to TENANT_POOL_WAIT_MS (default
// 2,000 ms) for one of its own slots to free up, then gets TenantBusyError — tRPC TOO_MANY_REQUESTS
// (HTTP 429) with Retry-After, 503 with Retry-After from the HTTP routes. Other tenants never wait
// for that tenant's slots: with the default share, one tenant running slow requests at full
// concurrency leaves half the pool to everybody else (`npm run bench -- --only tenant-fairness`).
//
// Counted per instance and in memory (in-flight transactions are a property of this process's
// pool, not of the cluster). A transaction opened inside another of the SAME tenant in the same
// async flow (e.g. an enqueue with a TenantId inside a procedure) reuses the caller's slot rather
// than waiting on itself.
//
// A refusal is announced to the listeners of onTenantBusy — the per-tenant usage counters
// (server/usage/counters.ts) count it there. They subscribe rather than being called from here:
// they write through the tenant door, which stands on this module.
import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "../env";
import { appPoolMax } from "../db/pool-stats";
import { AppError } from "../isomorphic/errors";
import { countConcurrencyRefusal } from "../observability/metrics";
import { logger } from "../observability/logger";

export class TenantBusyError extends AppError {
  constructor(
    readonly slots: number,
    readonly retryAfterSeconds: number,
  ) {
    super("TENANT_BUSY", `This tenant already has ${slots} database operations in progress on this server (its share of the connection pool). Try again in ${retryAfterSeconds} s.`);
    this.name = "TenantBusyError";
  }
}

export interface ConcurrencySettings {
  /** Fraction of the pool one tenant may hold (0 < share ≤ 1). */
  share: number;
  /** How long the excess waits for a slot before it is refused. */
  waitMs: number;
  /** Pool size the share is taken of. */
  poolMax: number;
}

interface Waiter {
  grant: () => void;
}

/** Told the tenant (or `slug:<slug>` key, see server/db/doors.ts) whose transaction was refused. */
export type TenantBusyListener = (tenantKey: string) => void;

interface State {
  inFlight: Map<string, number>;
  waiters: Map<string, Waiter[]>;
  override: Partial<ConcurrencySettings> | null;
  held: AsyncLocalStorage<ReadonlySet<string>>;
  busyListeners: Map<string, TenantBusyListener>;
}

// On globalThis: every bundle of the process shares the one pool, so they share the counts too.
const g = globalThis as unknown as { credoTenantSlots?: State };
const state: State = (g.credoTenantSlots ??= { inFlight: new Map(), waiters: new Map(), override: null, held: new AsyncLocalStorage(), busyListeners: new Map() });
// A state made by an earlier version of this module (dev reloads keep globalThis) lacks the listeners.
state.busyListeners ??= new Map();

/**
 * Subscribes to refusals under a name: one listener per name for the whole process, so a module
 * instantiated once per server bundle still counts each refusal once.
 */
export function onTenantBusy(name: string, listener: TenantBusyListener): void {
  state.busyListeners.set(name, listener);
}

export function concurrencySettings(): ConcurrencySettings {
  return {
    share: state.override?.share ?? env.TENANT_POOL_SHARE,
    waitMs: state.override?.waitMs ?? env.TENANT_POOL_WAIT_MS,
    poolMax: state.override?.poolMax ?? appPoolMax(),
  };
}

/** Slots per tenant on this instance. */
export function tenantSlots(s: ConcurrencySettings = concurrencySettings()): number {
  return Math.max(1, Math.floor(s.share * s.poolMax));
}

/** Tests and the benchmark: other settings than the environment's (null restores them). */
export function configureTenantConcurrency(override: Partial<ConcurrencySettings> | null): void {
  state.override = override;
}

/** In-flight tenant transactions of a tenant on this instance. */
export function tenantInFlight(tenantId: string): number {
  return state.inFlight.get(tenantId) ?? 0;
}

function release(tenantId: string): void {
  const queue = state.waiters.get(tenantId);
  const next = queue?.shift();
  if (queue && queue.length === 0) state.waiters.delete(tenantId);
  // The slot passes straight to the next waiter of the same tenant: the count does not change.
  if (next) return next.grant();
  const n = (state.inFlight.get(tenantId) ?? 1) - 1;
  if (n <= 0) state.inFlight.delete(tenantId);
  else state.inFlight.set(tenantId, n);
}

function acquire(tenantId: string, s: ConcurrencySettings): Promise<void> | null {
  const slots = tenantSlots(s);
  const n = state.inFlight.get(tenantId) ?? 0;
  if (n < slots) {
    state.inFlight.set(tenantId, n + 1);
    return null;
  }
  return new Promise<void>((resolve, reject) => {
    const waiter: Waiter = {
      grant: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    const timer = setTimeout(() => {
      const queue = state.waiters.get(tenantId);
      const i = queue?.indexOf(waiter) ?? -1;
      if (queue && i >= 0) queue.splice(i, 1);
      if (queue?.length === 0) state.waiters.delete(tenantId);
      countConcurrencyRefusal();
      for (const listener of state.busyListeners.values()) listener(tenantId);
      logger.warn({ tenantId, slots, waitedMs: s.waitMs }, "tenant concurrency: share of the database pool exhausted; request refused");
      reject(new TenantBusyError(slots, Math.max(1, Math.ceil(s.waitMs / 1000))));
    }, s.waitMs);
    const queue = state.waiters.get(tenantId) ?? [];
    queue.push(waiter);
    state.waiters.set(tenantId, queue);
  });
}

/** Runs `fn` holding one of the tenant's slots (waiting for one briefly, else TenantBusyError). */
export async function withTenantSlot<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
  const held = state.held.getStore();
  if (held?.has(tenantId)) return fn();
  const waiting = acquire(tenantId, concurrencySettings());
  if (waiting) await waiting;
  try {
    return await state.held.run(new Set(held ?? []).add(tenantId), fn);
  } finally {
    release(tenantId);
  }
}
