// Runs in each test worker before the test file is imported: point the app at the test database.
// (server/env.ts reads process.env once, at import time.)
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.AUTH_SECRET ??= "test-secret-not-for-production-use-0123456789";
// Audit export files of test runs go to the system's temp folder, not the repo's .data/.
process.env.EXPORT_DIR ??= path.join(tmpdir(), "credo-test-exports");
