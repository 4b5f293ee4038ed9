// The application pool's size and occupancy, for the modules that size or observe it (per-tenant
// concurrency, metrics) without access to queries: they import this, not the Prisma client
// (eslint.config.mjs keeps Prisma in server/db/ and repositories).
export { appPoolMax, appPoolStats } from "./client";
// The query plan cache's hits and misses (server/db/plan-cache.ts), for the metrics.
export { planCacheStats } from "./plan-cache";
