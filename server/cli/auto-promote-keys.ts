// `npm run keys:auto-promote`: promotes every next signing key staged more than
// AUTO_PROMOTE_AFTER_HOURS ago (server/keys/auto-promote.ts). Safe to run as often as you like; run
// it from cron until the job queue (exports/deletion issue) schedules it.
import { runCli } from "./run-cli";
import { autoPromoteDueKeys } from "../keys/auto-promote";
import { AUTO_PROMOTE_AFTER_HOURS } from "../keys/signing-keys";

async function main(): Promise<number> {
  const r = await autoPromoteDueKeys();
  for (const p of r.promoted) console.log(`promoted ${p.kid} in ${p.tenant}`);
  console.log(`checked ${r.checked} tenants, promoted ${r.promoted.length} keys staged over ${AUTO_PROMOTE_AFTER_HOURS} h ago, failed ${r.failed.length}`);
  for (const f of r.failed) console.error(`  ${f.tenant}: ${f.error}`);
  return r.failed.length ? 1 : 0;
}

await runCli(main);
