// The signing keys' scheduled task (server/jobs/, graphile-worker's cron): every hour on the hour,
// keys.auto-promote promotes every next key staged longer ago than its tenant's grace period
// (auto-promote.ts). One run at a time across all workers (its own queue); a worker starting after
// a missed hour catches that one slot up. A key is therefore promoted within the hour after its
// autoPromoteAt — the time the Signing keys page shows. `npm run keys:auto-promote` runs the same
// round by hand.
import { defineScheduledTask } from "../jobs/queue";
import { autoPromoteDueKeys } from "./auto-promote";

export const AUTO_PROMOTE_TASK = "keys.auto-promote";
export const AUTO_PROMOTE_SCHEDULE = "0 * * * *";

export const autoPromoteKeysTask = defineScheduledTask(
  AUTO_PROMOTE_TASK,
  { match: AUTO_PROMOTE_SCHEDULE, backfillMs: 3_600_000, maxAttempts: 3 },
  async (ctx) => {
    const r = await autoPromoteDueKeys(ctx.now());
    for (const p of r.promoted) ctx.log.info("signing key auto-promoted", { tenant: p.tenant, kid: p.kid });
    // A tenant that failed is tried again next hour (the round is idempotent); failing the job would
    // sweep every tenant again at once for the sake of one.
    for (const f of r.failed) ctx.log.error("signing key auto-promotion failed", { tenant: f.tenant, error: f.error });
    ctx.log.info("signing key auto-promotion done", { checked: r.checked, promoted: r.promoted.length, failed: r.failed.length, skippedPaused: r.skippedPaused.length });
  },
);
