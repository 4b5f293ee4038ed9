// Runs in each test worker before the test file is imported: point the app at the test database.
// (server/env.ts reads process.env once, at import time.)
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";

// As in production: the app as the least-privileged login role, the job queue as its own role, and
// the owner's URL only for what the app never does (bootstrap admin, inspection in tests).
process.env.DATABASE_URL = inject("runtimeDatabaseUrl");
process.env.JOBS_DATABASE_URL = inject("jobsDatabaseUrl");
process.env.DATABASE_MIGRATION_URL = inject("databaseUrl");
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.AUTH_SECRET ??= "test-secret-not-for-production-use-0123456789";
// Audit export files of test runs go to the system's temp folder, not the repo's .data/.
process.env.EXPORT_DIR ??= path.join(tmpdir(), "credo-test-exports");
// Tests fire dozens of concurrent calls of one tenant on a shared, loaded machine: the per-tenant
// pool share (server/tenancy/concurrency.ts) lets the excess wait longer here than the 2 s default,
// so only server/tenancy/concurrency.test.ts (which sets its own wait) sees refusals.
process.env.TENANT_POOL_WAIT_MS ??= "20000";
// Usage counters are written when a test flushes them (server/usage/usage.test.ts), never by the
// 60 s timer: on a slow run a timed flush landed inside the deletion tests' before/after snapshots
// (an extra tenant_usage_hourly row, one more purge batch).
process.env.USAGE_FLUSH_MS ??= "0";
