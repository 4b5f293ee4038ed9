// Tenant deletion: request → pending_deletion (grace) → cancel, or → purge (purge.ts) → tombstone.
//
//   request         owner or security admin (tenant.delete), in the tenant: the slug typed exactly
//                   (re-checked here) and a reason. Grace = the tenant's policy
//                   dataRetention.deletionGraceDays (default 30). The tenant's console, API keys and
//                   public endpoints stop serving at once (status pending_deletion); the purge job is
//                   queued to run when the grace ends.
//   cancel          owner or security admin, during the grace only: the tenant is active again with
//                   everything it had (nothing is deleted before the purge starts).
//   shorten grace   security admins (platform), typed slug + step-up, audited in the tenant's trail;
//                   0 days only with the explicit purgeNow choice.
//   purge           the "tenant.purge" job; progress (step, rows deleted, retries) for security admins.
//
// Every change is audited in the tenant's own trail, in the same transaction.
import { z } from "zod";
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor, RequestMeta } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { AppError } from "../isomorphic/errors";
import { isUniqueViolation } from "../db/errors";
import { removeTenantJob } from "../jobs/queue";
import { effectiveTenantValues } from "../policies/resolve";
import type { TenantContext } from "../tenancy/context";
import { countTenantData, kindLabel, PURGE_STEPS } from "./plan";
import { PURGE_JOB_KEY } from "./purge";
import { enqueuePurge } from "./purge-task";
import { createDeletion, findOpenDeletion, lockOpenDeletion, markDeletionCancelled, markTenantPendingDeletion, restoreTenantActive, type DeletionRow } from "./repository";
import { tenantDataChanged } from "../cache/invalidation";

/** Used when the tenant's policy cannot be read (the policy field's own default is the same). */
export const DEFAULT_GRACE_DAYS = 30;
export const DAY_MS = 86_400_000;

export const requestDeletionInput = z.object({
  confirmSlug: z.string().max(100),
  reason: z.string({ error: "Give a reason." }).trim().min(1, "Give a reason for the deletion.").max(500, "The reason must be at most 500 characters."),
});
/**
 * Shortening is confirmed like the deletion itself: the slug typed exactly and a reason (and a
 * step-up, on the procedure). A grace of 0 days purges at once, so it is only accepted with the
 * explicit `purgeNow` choice — never as a number typed (or left prefilled) in a field.
 */
export const shortenGraceInput = z
  .object({
    slug: z.string().trim().max(100),
    confirmSlug: z.string({ error: "Type the tenant's slug to confirm." }).max(100),
    graceDays: z.number({ error: "Give the new grace period in days." }).int("Give a whole number of days.").min(0).max(89),
    purgeNow: z.boolean().default(false),
    reason: z.string().trim().min(1, "Give a reason for shortening the grace period.").max(500),
  })
  .superRefine((v, ctx) => {
    if (v.purgeNow && v.graceDays !== 0) ctx.addIssue({ code: "custom", path: ["graceDays"], message: "Purge now means a grace of 0 days." });
    if (!v.purgeNow && v.graceDays < 1)
      ctx.addIssue({ code: "custom", path: ["graceDays"], message: "The new grace period must be at least 1 day; to purge at once, choose “Purge now”." });
  });
export const deletionIdInput = z.object({ deletionId: z.uuid() });
export const listDeletionsInput = z.object({ status: z.enum(["pending", "purging", "completed", "cancelled"]).optional(), limit: z.number().int().min(1).max(200).default(50) });

export interface KindCount {
  kind: string;
  label: string;
  count: number;
}

export interface DeletionProgress {
  step: string | null;
  stepLabel: string | null;
  stepIndex: number;
  totalSteps: number;
  deleted: KindCount[];
  batches: number;
  retries: number;
  lastError: string | null;
  lastProgressAt: Date | null;
}

export interface DeletionView {
  id: string;
  tenantSlug: string;
  status: "pending" | "purging" | "completed" | "cancelled";
  reason: string;
  requestedAt: Date;
  requestedBy: string;
  graceDays: number;
  purgeAfter: Date;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  purgeStartedAt: Date | null;
  completedAt: Date | null;
  requestedCounts: KindCount[];
  /** Security admins only. */
  progress: DeletionProgress | null;
  hasReceipt: boolean;
}

function kindCounts(c: unknown): KindCount[] {
  return Object.entries((c ?? {}) as Record<string, number>)
    .map(([kind, count]) => ({ kind, label: kindLabel(kind), count: Number(count) }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/** What people see of a deletion row; progress only for security admins (`withProgress`). */
export function deletionView(d: DeletionRow, withProgress: boolean): DeletionView {
  const step = d.step ? PURGE_STEPS.find((s) => s.id === d.step) : undefined;
  return {
    id: d.id,
    tenantSlug: d.tenantSlug,
    status: d.status as DeletionView["status"],
    reason: d.reason,
    requestedAt: d.requestedAt,
    requestedBy: d.requestedByLabel,
    graceDays: d.graceDays,
    purgeAfter: d.purgeAfter,
    cancelledAt: d.cancelledAt,
    cancelledBy: d.cancelledByLabel,
    purgeStartedAt: d.purgeStartedAt,
    completedAt: d.completedAt,
    requestedCounts: kindCounts(d.requestedCounts),
    progress: withProgress
      ? {
          step: d.step,
          stepLabel: step?.label ?? null,
          stepIndex: d.stepIndex,
          totalSteps: PURGE_STEPS.length,
          deleted: kindCounts(d.deletedCounts),
          batches: d.batches,
          retries: d.retries,
          lastError: d.lastError,
          lastProgressAt: d.lastProgressAt,
        }
      : null,
    hasReceipt: d.receipt !== null,
  };
}

/** The grace period the tenant's policy sets (dataRetention.deletionGraceDays). */
export async function deletionGraceDays(scope: TenantScope): Promise<number> {
  try {
    const days = (await effectiveTenantValues(scope)).dataRetention.deletionGraceDays;
    return Number.isInteger(days) && days >= 0 ? days : DEFAULT_GRACE_DAYS;
  } catch {
    return DEFAULT_GRACE_DAYS;
  }
}

/** The danger zone: what a deletion would remove, and the grace period. */
export async function deletionPreview(scope: TenantScope, tenant: TenantContext) {
  return { slug: tenant.slug, name: tenant.name, graceDays: await deletionGraceDays(scope), counts: kindCounts(await countTenantData(scope)) };
}

/** The tenant's open deletion; `lock`: its row locked until the transaction ends. */
export function openDeletion(scope: TenantScope, lock: boolean): Promise<DeletionRow | null> {
  return lock ? lockOpenDeletion(scope) : findOpenDeletion(scope);
}

export async function requestTenantDeletion(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  tenant: TenantContext,
  input: z.infer<typeof requestDeletionInput>,
  now = new Date(),
  meta: RequestMeta | null = null,
): Promise<DeletionView> {
  if (actor.type !== "user" || !actor.id) throw new AppError("FORBIDDEN", "Only an operator can request a tenant's deletion.");
  if (input.confirmSlug !== tenant.slug) throw new AppError("BAD_REQUEST", `Type the tenant's slug exactly ("${tenant.slug}") to confirm.`);
  if (tenant.status !== "active") throw new AppError("CONFLICT", "This tenant is already scheduled for deletion.");
  const graceDays = await deletionGraceDays(scope);
  const counts = await countTenantData(scope);
  const purgeAfter = new Date(now.getTime() + graceDays * DAY_MS);
  // Conditional: of two concurrent requests exactly one moves the tenant.
  tenantDataChanged(scope.tenantId);
  if (!(await markTenantPendingDeletion(scope, now))) throw new AppError("CONFLICT", "This tenant is already scheduled for deletion.");
  let row: DeletionRow;
  try {
    row = await createDeletion(scope, {
      tenantSlug: tenant.slug,
      status: "pending",
      reason: input.reason,
      requestedById: actor.id,
      requestedByLabel: actor.label ?? actor.id,
      requestedAt: now,
      graceDays,
      purgeAfter,
      requestedCounts: counts,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "This tenant is already scheduled for deletion.");
    throw e;
  }
  await enqueuePurge(scope, row.id, purgeAfter);
  await audit.record({
    action: "tenant.deletion_requested",
    targetType: "tenant",
    targetId: scope.tenantId,
    after: { deletionId: row.id, reason: input.reason, graceDays, purgeAfter: purgeAfter.toISOString(), counts },
  });
  // The platform stream keeps the record after the purge removes the tenant's own trail (no free
  // text: the reason stays in the tenant's trail and goes with it).
  await recordPlatformAudit(scope.db, actor, meta, {
    action: "tenant.deletion_requested",
    targetType: "tenant",
    targetId: scope.tenantId,
    tenantId: scope.tenantId,
    details: { deletionId: row.id, slug: tenant.slug, graceDays, purgeAfter: purgeAfter.toISOString(), counts },
  });
  return deletionView(row, tenant.role === "security_admin");
}

export async function cancelTenantDeletion(
  scope: TenantScope,
  audit: Auditor,
  actor: AuditActor,
  tenant: TenantContext,
  now = new Date(),
  meta: RequestMeta | null = null,
): Promise<{ cancelled: true }> {
  const d = await openDeletion(scope, true);
  if (!d) throw new AppError("NOT_FOUND", "This tenant has no pending deletion.");
  if (d.status !== "pending") throw new AppError("CONFLICT", "The purge has started: the deletion can no longer be cancelled.");
  await markDeletionCancelled(scope, d.id, now, actor.label ?? actor.id ?? actor.type);
  tenantDataChanged(scope.tenantId);
  if (!(await restoreTenantActive(scope))) throw new AppError("CONFLICT", "The tenant is not pending deletion.");
  await removeTenantJob(scope, PURGE_JOB_KEY);
  await audit.record({
    action: "tenant.deletion_cancelled",
    targetType: "tenant",
    targetId: scope.tenantId,
    before: { deletionId: d.id, purgeAfter: d.purgeAfter.toISOString() },
    after: { status: "active", cancelledBy: tenant.role },
  });
  await recordPlatformAudit(scope.db, actor, meta, {
    action: "tenant.deletion_cancelled",
    targetType: "tenant",
    targetId: scope.tenantId,
    tenantId: scope.tenantId,
    details: { deletionId: d.id, slug: tenant.slug, cancelledBy: tenant.role },
  });
  return { cancelled: true };
}

/** The tenant's open deletion (what members see); progress only for security admins. */
export async function tenantDeletionStatus(scope: TenantScope, tenant: TenantContext) {
  const d = await openDeletion(scope, false);
  return {
    tenantStatus: tenant.status,
    deletion: d ? deletionView(d, tenant.role === "security_admin") : null,
    canCancel: d?.status === "pending" && tenant.permissions.has("tenant.delete"),
  };
}
