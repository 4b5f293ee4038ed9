// `npm run keys:auto-promote`: promotes every next signing key staged more than
// AUTO_PROMOTE_AFTER_HOURS ago (server/keys/auto-promote.ts). Safe to run as often as you like; run
// it from cron until the job queue (exports/deletion issue) schedules it.
import { env } from "../env";
import { disconnectPrisma } from "../db/client";
import { autoPromoteDueKeys } from "../keys/auto-promote";
import { AUTO_PROMOTE_AFTER_HOURS } from "../keys/signing-keys";

async function main(): Promise<number> {
  if (!env.DATABASE_URL) {
    console.error("DATABASE_URL is not set: point it at the console's database.");
    return 2;
  }
  const r = await autoPromoteDueKeys();
  for (const p of r.promoted) console.log(`promoted ${p.kid} in ${p.tenant}`);
  console.log(`checked ${r.checked} tenants, promoted ${r.promoted.length} keys staged over ${AUTO_PROMOTE_AFTER_HOURS} h ago, failed ${r.failed.length}`);
  for (const f of r.failed) console.error(`  ${f.tenant}: ${f.error}`);
  return r.failed.length ? 1 : 0;
}

try {
  process.exitCode = await main();
} finally {
  await disconnectPrisma();
}
