// An in-process cache whose entries each belong to one tenant and are dropped when the invalidation
// bus (server/cache/invalidation.ts) reports a change of that tenant (or of all). Bounded; the oldest
// entries go first. Reads go through `read`, which takes a ticket before loading so a load that
// raced a change is returned but not kept.
import { ALL_TENANTS, invalidationBus, type InvalidationBus } from "./invalidation";

interface Entry<V> {
  readonly tenantId: string;
  readonly value: V;
  readonly expiresAt: number;
}

/** Entries kept under this pseudo-tenant (negative answers) are dropped on ANY invalidation. */
export const NO_TENANT_GROUP = "∅";

export class TenantCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly byTenant = new Map<string, Set<K>>();

  constructor(
    readonly name: string,
    private readonly max: number,
    private readonly bus: InvalidationBus = invalidationBus(),
  ) {
    bus.subscribe((target) => this.drop(target));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or undefined (absent, expired, or the bus cannot vouch for it right now). */
  get(key: K, now = Date.now()): V | undefined {
    if (!this.bus.usable()) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.remove(key, e.tenantId);
      return undefined;
    }
    return e.value;
  }

  /**
   * The cached value, else `load()`'s. `load` returns the value and the tenant it belongs to
   * (NO_TENANT_GROUP for answers that belong to none), or `{ cache: false }` to skip caching.
   */
  async read(key: K, load: () => Promise<{ value: V; tenantId: string; cache?: boolean }>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const ticket = this.bus.ticket();
    const usable = this.bus.usable();
    const loaded = await load();
    // A negative answer belongs to no tenant: ANY change since the read began may have made it wrong.
    const stale = loaded.tenantId === NO_TENANT_GROUP ? this.bus.ticket() !== ticket : this.bus.stale(ticket, loaded.tenantId);
    if (usable && loaded.cache !== false && this.bus.usable() && !stale) {
      this.set(key, loaded.tenantId, loaded.value);
    }
    return loaded.value;
  }

  /** Replaces an entry's value in place (e.g. a bookkeeping field), keeping its lifetime. */
  update(key: K, fn: (v: V) => V): void {
    const e = this.entries.get(key);
    if (e) this.entries.set(key, { ...e, value: fn(e.value) });
  }

  clear(): void {
    this.entries.clear();
    this.byTenant.clear();
  }

  private set(key: K, tenantId: string, value: V): void {
    const old = this.entries.get(key);
    if (old) this.remove(key, old.tenantId);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.entries().next();
      if (!oldest.done) this.remove(oldest.value[0], oldest.value[1].tenantId);
    }
    this.entries.set(key, { tenantId, value, expiresAt: Date.now() + this.bus.entryTtlMs() });
    let keys = this.byTenant.get(tenantId);
    if (!keys) this.byTenant.set(tenantId, (keys = new Set()));
    keys.add(key);
  }

  private remove(key: K, tenantId: string): void {
    this.entries.delete(key);
    const keys = this.byTenant.get(tenantId);
    if (keys) {
      keys.delete(key);
      if (!keys.size) this.byTenant.delete(tenantId);
    }
  }

  private drop(target: string): void {
    if (target === ALL_TENANTS) return this.clear();
    for (const group of [target, NO_TENANT_GROUP]) {
      const keys = this.byTenant.get(group);
      if (!keys) continue;
      for (const k of keys) this.entries.delete(k);
      this.byTenant.delete(group);
    }
  }
}
