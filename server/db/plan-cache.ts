// Prisma's query plans for repeated reads, compiled once (issue 16).
//
// With the query compiler (engineType "client", pinned 6.19.3: ../shared/notes/prisma.md) every
// Prisma call is compiled from its JSON form into a plan by the WASM compiler, on every call: it was
// the largest single cost of a tenant list request in the CPU profile (more than its round trips).
// The compile is a pure function of that JSON (model, action, arguments with their values) and the
// schema, so a plan can be reused for the very same JSON. Prisma 7 caches plans itself (with the
// values lifted out); 6.19 does not, and Prisma 7 cannot migrate on this machine. So this module
// wraps the compiler's `compile` with a bounded LRU keyed by the exact JSON:
//   * reads only (find*, count, aggregate, groupBy): writes carry payloads that never repeat, and
//     are never kept in memory here;
//   * the key is the whole request, values included: a plan is only ever reused for the identical
//     call (same tenant id, same filters, same page), so no query can get another query's plan;
//   * plans are deep-frozen when cached: the executor only reads them (checked by the tests — a
//     write to a frozen plan throws in Prisma's strict-mode runtime instead of changing a shared one);
//   * at most PLAN_CACHE_ENTRIES plans of requests up to PLAN_CACHE_MAX_KEY characters.
// What it saves is the compile only: every call still runs its SQL in its own transaction, scope
// and RLS. Hits and misses are exported as metrics (credo_query_plan_cache_total).
//
// Remove when moving to Prisma 7 (its own plan cache). If the compiler module ever stops exposing
// `QueryCompiler.prototype.compile`, install() reports it and the app runs without the cache.
import "server-only";
import { QueryCompiler } from "@prisma/client/runtime/query_compiler_bg.postgresql.mjs";
import { logger } from "../observability/logger";
import { Lru } from "../cache/lru";

export const PLAN_CACHE_ENTRIES = 2000;
export const PLAN_CACHE_MAX_KEY = 8192;

/** The JSON protocol's read actions (the request's second key, right after modelName). */
const READ_ACTION = /^\{"modelName":"[A-Za-z0-9_]+","action":"(?:findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|count|aggregate|groupBy)"/;

interface PlanCacheState {
  plans: Lru<string, unknown>;
  hits: number;
  misses: number;
  installed: boolean;
  /** Off: every call compiled, as without the cache (the bench's side-by-side row). */
  enabled: boolean;
}

const globalForPlans = globalThis as unknown as { credoPlanCache?: PlanCacheState };
const state = (globalForPlans.credoPlanCache ??= { plans: new Lru(PLAN_CACHE_ENTRIES), hits: 0, misses: 0, installed: false, enabled: true });

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The cached compile: the plan for `request` (Prisma's JSON), compiled at most once while kept. */
function cachedCompile(compile: (request: string) => unknown, request: string): unknown {
  if (!state.enabled || request.length > PLAN_CACHE_MAX_KEY || !READ_ACTION.test(request)) return compile(request);
  const plan = state.plans.get(request);
  if (plan !== undefined) {
    state.hits++;
    return plan;
  }
  state.misses++;
  const compiled = deepFreeze(compile(request));
  state.plans.set(request, compiled);
  return compiled;
}

/** Wraps the compiler once per process (server/db/client.ts, before the client's first query). */
export function installPlanCache(): boolean {
  if (state.installed) return true;
  const proto = (QueryCompiler as unknown as { prototype?: { compile?: (request: string) => unknown } }).prototype;
  const compile = proto?.compile;
  if (!proto || typeof compile !== "function") {
    logger.warn("query plan cache: Prisma's QueryCompiler.compile was not found; running without it");
    return false;
  }
  proto.compile = function (this: unknown, request: string) {
    return cachedCompile((r) => compile.call(this, r), request);
  };
  state.installed = true;
  return true;
}

/** Hits and misses since start, and plans kept (metrics, tests). */
export function planCacheStats(): { hits: number; misses: number; size: number; installed: boolean } {
  return { hits: state.hits, misses: state.misses, size: state.plans.size, installed: state.installed };
}

/** Turns the cache off (every call compiled) or back on; the bench measures both. */
export function setPlanCacheEnabled(on: boolean): void {
  state.enabled = on;
}
