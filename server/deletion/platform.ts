// The platform half of tenant deletion (security admins, the worker's safety net, the receipt CLI):
// the domain's only onPlatform users. tenant_deletions is readable only in its tenant's scope, so
// each deletion is found through the platform index and read after entering its tenant, in the
// same transaction. The tenant half (request, cancel, status) is server/deletion/service.ts.
import type { z } from "zod";
import { enterTenant, inTenant, onPlatform } from "../db/doors";
import { recordAudit, type AuditActor, type RequestMeta } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { AppError } from "../isomorphic/errors";
import { isPlausibleSlug } from "../isomorphic/tenancy/slug";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { findTenantBySlug } from "../tenants/platform-repository";
import { enqueuePurge } from "./purge-task";
import type { SignedReceipt } from "./receipt";
import { deletionIndex, deletionTenantId } from "./platform-repository";
import { findDeletion, findDeletionReceipt, setDeletionGrace, type DeletionRow } from "./repository";
import { DAY_MS, deletionView, openDeletion, type DeletionView, type listDeletionsInput, type shortenGraceInput } from "./service";

/** Shortens a pending deletion's grace (0 days, with purgeNow = purge at once). Audited in the tenant's trail. */
export async function shortenDeletionGrace(input: z.infer<typeof shortenGraceInput>, actor: AuditActor, meta: RequestMeta | null, now = new Date()): Promise<DeletionView> {
  return onPlatform(async (db) => {
    const t = isPlausibleSlug(input.slug) ? await findTenantBySlug(db, input.slug) : null;
    if (!t) throw new AppError("NOT_FOUND", "Tenant not found.");
    if (input.confirmSlug !== input.slug) throw new AppError("BAD_REQUEST", `Type the tenant's slug exactly ("${input.slug}") to confirm.`);
    const scope = await enterTenant(db, tenantIdFromDatabase(t.id));
    const d = await openDeletion(scope, true);
    if (!d || d.status !== "pending") throw new AppError("CONFLICT", "This tenant has no deletion in its grace period.");
    if (input.graceDays >= d.graceDays) throw new AppError("BAD_REQUEST", `The grace period can only be shortened (it is ${d.graceDays} days).`);
    const purgeAfter = new Date(Math.max(now.getTime(), d.requestedAt.getTime() + input.graceDays * DAY_MS));
    const updated = await setDeletionGrace(scope, d.id, input.graceDays, purgeAfter);
    await enqueuePurge(scope, d.id, purgeAfter);
    await recordAudit(scope, actor, meta, {
      action: "tenant.deletion_grace_shortened",
      targetType: "tenant",
      targetId: t.id,
      before: { deletionId: d.id, graceDays: d.graceDays, purgeAfter: d.purgeAfter.toISOString() },
      after: { graceDays: input.graceDays, purgeAfter: purgeAfter.toISOString(), reason: input.reason },
    });
    await recordPlatformAudit(db, actor, meta, {
      action: "tenant.deletion_grace_shortened",
      targetType: "tenant",
      targetId: t.id,
      tenantId: t.id,
      details: { deletionId: d.id, slug: input.slug, graceDaysBefore: d.graceDays, graceDays: input.graceDays, purgeAfter: purgeAfter.toISOString(), reason: input.reason },
    });
    return deletionView(updated, true);
  });
}

export async function listDeletions(input: z.infer<typeof listDeletionsInput>): Promise<DeletionView[]> {
  const rows = await onPlatform(async (db) => {
    const out: DeletionRow[] = [];
    for (const ref of await deletionIndex(db, input.status ?? null, null, input.limit)) {
      const scope = await enterTenant(db, tenantIdFromDatabase(ref.target_tenant_id));
      const row = await findDeletion(scope, ref.id);
      if (row) out.push(row);
    }
    return out;
  });
  return rows.map((r) => deletionView(r, true));
}

export async function deletionReceipt(deletionId: string): Promise<SignedReceipt> {
  const tenantId = await deletionTenant(deletionId);
  const row = tenantId ? await inTenant(tenantId, (scope) => findDeletionReceipt(scope, deletionId)) : null;
  if (!row?.receipt) throw new AppError("NOT_FOUND", "No receipt for this deletion (yet).");
  return JSON.parse(row.receipt) as SignedReceipt;
}

/**
 * Safety net next to the scheduled jobs: (re-)queues the purge of every deletion whose grace has
 * ended at `now` (the worker runs it at start; tests run it with their clock).
 */
export async function sweepDueDeletions(now = new Date()): Promise<number> {
  const due = await onPlatform((db) => deletionIndex(db, null, now, 500));
  for (const d of due) await enqueuePurge(tenantIdFromDatabase(d.target_tenant_id) as TenantId, d.id);
  return due.length;
}

/** For tests and the receipt CLI: a deletion's tenant id. */
export async function deletionTenant(deletionId: string): Promise<TenantId | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deletionId)) return null;
  const tenant = await onPlatform((db) => deletionTenantId(db, deletionId));
  return tenant ? tenantIdFromDatabase(tenant) : null;
}

