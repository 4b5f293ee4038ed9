// `npm run audit:verify -- <tenant slug>` (or `--all`): recomputes tenants' audit hash chains and
// prints "intact" or the first broken sequence number. Exit code 1 if any chain is broken.
import { env } from "../env";
import { disconnectPrisma } from "../db/client";
import { inTenant, onPlatform } from "../db/doors";
import { verifyChain } from "../audit/chain";
import { findTenantBySlug } from "../repos/platform-tenants";
import { allTenants } from "../keys/tenant-sweep";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";

async function main(args: string[]): Promise<number> {
  if (!env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: point it at the console's database.");
    return 2;
  }
  const targets: { id: TenantId; slug: string }[] = [];
  if (args[0] === "--all") {
    for await (const t of allTenants()) targets.push({ id: t.id, slug: t.slug });
  } else if (args[0]) {
    const t = await onPlatform((db) => findTenantBySlug(db, args[0]!));
    if (!t) {
      console.error(`No tenant "${args[0]}".`);
      return 2;
    }
    targets.push({ id: tenantIdFromDatabase(t.id), slug: t.slug });
  } else {
    console.error("usage: npm run audit:verify -- <tenant slug> | --all");
    return 2;
  }
  let broken = 0;
  for (const t of targets) {
    const v = await inTenant(t.id, verifyChain);
    if (!v.intact) broken++;
    console.log(`${t.slug}: ${v.intact ? "intact" : `BROKEN at ${v.firstBrokenSeq} (${v.problem})`} — ${v.message}`);
  }
  return broken ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} finally {
  await disconnectPrisma();
}
