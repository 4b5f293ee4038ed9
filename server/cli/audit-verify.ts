// `npm run audit:verify -- <tenant slug>` (or `--all`): recomputes tenants' audit hash chains and
// prints "intact" or the first broken sequence number; a purged tenant's chain is checked as
// sealed (server/audit/sealed-chain.ts). `--platform` verifies the platform audit stream
// (server/audit/platform-chain.ts), alone or with `--all`. Exit code 1 if any chain is broken.
import { runCli } from "./run-cli";
import { inTenant, onPlatform } from "../db/doors";
import { verifyTenantChain } from "../audit/sealed-chain";
import { verifyPlatformChain } from "../audit/platform-chain";
import { findTenantBySlug } from "../tenants/platform-repository";
import { allTenants } from "../tenancy/tenant-sweep";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";

async function main(argv: string[]): Promise<number> {
  const platform = argv.includes("--platform");
  const args = argv.filter((a) => a !== "--platform");
  let broken = 0;
  if (platform) {
    const v = await onPlatform((db) => verifyPlatformChain(db));
    if (!v.intact) broken++;
    console.log(`platform audit stream: ${v.intact ? "" : `BROKEN at event ${v.firstBrokenSeq} (${v.problem}). `}${v.message}`);
    if (args.length === 0) return broken ? 1 : 0;
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
    console.error("usage: npm run audit:verify -- <tenant slug> | --all | --platform [--all]");
    return 2;
  }
  for (const t of targets) {
    const v = await inTenant(t.id, verifyTenantChain);
    if (!v.intact) broken++;
    console.log(`${t.slug}: ${v.intact ? "" : `BROKEN at event ${v.firstBrokenSeq} (${v.problem}). `}${v.message}`);
  }
  return broken ? 1 : 0;
}

await runCli(main);
