// `npm run audit:maintenance [-- <tenant slug> | --all] [--queue]`: one round of audit upkeep —
// expired exports deleted, events past the tenant's retention purged (signed retention checkpoint),
// a signed head checkpoint recorded. Default --all, run right here; --queue only enqueues the
// audit.maintenance job per tenant for the workers (what `npm start` does every
// AUDIT_MAINTENANCE_INTERVAL_MINUTES). Exit code 1 if a chain is broken or a purge was refused.
import { env } from "../env";
import { disconnectPrisma } from "../db/client";
import { onPlatform } from "../db/doors";
import { findTenantBySlug } from "../tenants/platform-repository";
import { allTenants } from "../tenancy/tenant-sweep";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { runAuditMaintenance, scheduleAuditMaintenance } from "../audit/tasks";

async function main(args: string[]): Promise<number> {
  if (!env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: point it at the console's database.");
    return 2;
  }
  if (args.includes("--queue")) {
    console.log(`queued audit.maintenance for ${await scheduleAuditMaintenance()} tenants`);
    return 0;
  }
  const slug = args.find((a) => !a.startsWith("--"));
  const targets: { id: TenantId; slug: string }[] = [];
  if (slug) {
    const t = await onPlatform((db) => findTenantBySlug(db, slug));
    if (!t) {
      console.error(`No tenant "${slug}".`);
      return 2;
    }
    targets.push({ id: tenantIdFromDatabase(t.id), slug: t.slug });
  } else {
    for await (const t of allTenants()) if (t.status !== "deleted") targets.push({ id: t.id, slug: t.slug });
  }
  let problems = 0;
  for (const t of targets) {
    const r = await runAuditMaintenance(t.id);
    if (!r.chainIntact || r.retentionError) problems++;
    console.log(
      `${t.slug}: ${r.expiredExports} exports expired, ${r.purged} events purged${r.retentionError ? ` (REFUSED: ${r.retentionError})` : ""}, ` +
        (r.chainIntact ? `checkpoint at ${r.checkpointSeq ?? "—"}` : "CHAIN BROKEN, no checkpoint (npm run audit:verify)"),
    );
  }
  return problems ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  await disconnectPrisma();
}
