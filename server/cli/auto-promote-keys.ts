// `npm run keys:auto-promote`: promotes every next signing key staged longer ago than its tenant's
// grace period (policy keyRotation.autoPromoteAfterHours; server/signing-keys/auto-promote.ts) now.
// The job queue already does this every hour (scheduled task keys.auto-promote,
// server/signing-keys/tasks.ts); this is the manual trigger, safe to run as often as you like.
import { runCli } from "./run-cli";
import { autoPromoteDueKeys } from "../signing-keys/auto-promote";

async function main(): Promise<number> {
  const r = await autoPromoteDueKeys();
  for (const p of r.promoted) console.log(`promoted ${p.kid} in ${p.tenant}`);
  console.log(`checked ${r.checked} tenants, promoted ${r.promoted.length} keys past their tenant's grace period, failed ${r.failed.length}`);
  if (r.skippedPaused.length) console.log(`skipped ${r.skippedPaused.length} paused tenants: ${r.skippedPaused.join(", ")}`);
  for (const f of r.failed) console.error(`  ${f.tenant}: ${f.error}`);
  return r.failed.length ? 1 : 0;
}

await runCli(main);
