// Previous signing keys retire (issue 12): after its successor became current, a previous key stays
// published — and verifying — for the tenant's keyRotation.previousKeyRetentionHours (at least the
// longest token lifetime, server/isomorphic/policies/sections.ts), then the job "keys.retire-previous" on the
// tenant's queue revokes it, so a JWKS no longer grows without end.
//
// Scheduling: promotion (signing-keys.ts promoteLocked) queues the job, in its own transaction, for
// the moment the oldest previous key is due; each run revokes what is due and queues itself again for
// the next one. One job key per tenant, so there is never more than one pending.
import { z } from "zod";
import { inTenant, type TenantScope } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../audit/record";
import { defineTask, enqueueTenantJob } from "../jobs/queue";
import { effectiveTenantValues } from "../policies/resolve";
import { moveKeyState } from "./repository";
import { findPreviousKeys, lockTenantKeys } from "./repository";

export const RETIRE_TASK = "keys.retire-previous";
export const RETIRE_JOB_KEY = "retire-previous-keys";

interface PreviousKey {
  id: string;
  kid: string;
  alg: string;
  retiredAt: Date | null;
  createdAt: Date;
}

async function previousKeys(scope: TenantScope): Promise<PreviousKey[]> {
  return findPreviousKeys(scope);
}

async function retentionHours(scope: TenantScope): Promise<number> {
  return (await effectiveTenantValues(scope)).keyRotation.previousKeyRetentionHours;
}

const dueAt = (k: PreviousKey, hours: number) => new Date((k.retiredAt ?? k.createdAt).getTime() + hours * 3_600_000);

/** Revokes the previous keys whose retention has passed; returns them and when the next one is due. */
export async function retireDuePreviousKeys(scope: TenantScope, now: Date): Promise<{ revoked: string[]; nextDueAt: Date | null }> {
  await lockTenantKeys(scope);
  const hours = await retentionHours(scope);
  const audit = auditorFor(scope, SYSTEM_ACTOR, null);
  const revoked: string[] = [];
  let nextDueAt: Date | null = null;
  for (const k of await previousKeys(scope)) {
    const due = dueAt(k, hours);
    if (due > now) {
      if (!nextDueAt || due < nextDueAt) nextDueAt = due;
      continue;
    }
    await moveKeyState(scope, k.id, "previous", "revoked", { revokedAt: now });
    await audit.record({
      action: "signing_key.revoked",
      targetType: "signing_key",
      targetId: k.id,
      before: { kid: k.kid, alg: k.alg, state: "previous" },
      after: { kid: k.kid, alg: k.alg, state: "revoked", reason: "retention", retentionHours: hours },
    });
    revoked.push(k.kid);
  }
  return { revoked, nextDueAt };
}

/** Queues the retirement job for when the oldest previous key is due (nothing if there is none). */
export async function scheduleKeyRetirement(scope: TenantScope, now: Date): Promise<Date | null> {
  const hours = await retentionHours(scope);
  const dues = (await previousKeys(scope)).map((k) => dueAt(k, hours).getTime());
  if (dues.length === 0) return null;
  const runAt = new Date(Math.max(now.getTime(), Math.min(...dues)));
  await enqueueTenantJob(scope, retirePreviousKeysTask, {}, { runAt, jobKey: RETIRE_JOB_KEY, maxAttempts: 10 });
  return runAt;
}

export const retirePreviousKeysTask = defineTask(RETIRE_TASK, z.object({}), async (_p, ctx) => {
  const r = await inTenant(ctx.tenantId, async (scope) => {
    const res = await retireDuePreviousKeys(scope, ctx.now());
    if (res.nextDueAt) await enqueueTenantJob(scope, retirePreviousKeysTask, {}, { runAt: res.nextDueAt, jobKey: RETIRE_JOB_KEY, maxAttempts: 10 });
    return res;
  });
  ctx.log.info("previous signing keys retired", { revoked: r.revoked, nextDueAt: r.nextDueAt?.toISOString() ?? null });
});
