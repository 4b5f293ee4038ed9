// One tenant's key changes happen one at a time: every lifecycle operation (stage, promote, revoke,
// rotate-and-revoke, auto-promotion, KEK re-wrap) takes this lock first, inside its tenant
// transaction, and reads the key states only afterwards. A transaction-scoped advisory lock is
// released by COMMIT or ROLLBACK, so nothing can leak it; other tenants are never blocked.
// (The partial unique indexes on signing_keys are the database's own backstop.)
import type { TenantScope } from "../db/doors";

/** Second argument of hashtextextended: keeps these locks apart from other per-tenant advisory locks. */
const SIGNING_KEYS_LOCK_SEED = 42;

export async function lockTenantKeys(scope: TenantScope): Promise<void> {
  await scope.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${scope.tenantId}::text, ${SIGNING_KEYS_LOCK_SEED}))`;
}
