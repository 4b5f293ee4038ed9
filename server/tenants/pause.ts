// Pausing and resuming a tenant (security admins; platform.tenants.pause / platform.tenants.resume).
// What a pause does is described in server/tenancy/paused.ts. Each change is one platform
// transaction that updates the tenant row and writes the event into THE TENANT'S audit trail
// (enterTenant, as provisioning does), so the tenant's operators see who paused it and why.
// It takes effect on the next request: tenant contexts and public endpoints read the row each time.
import type { z } from "zod";
import type { pauseTenantInput, resumeTenantInput } from "../isomorphic/tenants/pause-inputs";
import { enterTenant, onPlatform, type Db } from "../db/doors";
import { recordAudit, type AuditActor, type RequestMeta } from "../audit/record";
import { AppError } from "../isomorphic/errors";
import { isPlausibleSlug } from "../isomorphic/tenancy/slug";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { tenantDataChanged } from "../cache/invalidation";
import { formatPauseTime } from "../tenancy/paused";

export interface TenantPauseView {
  readonly slug: string;
  readonly pausedAt: Date | null;
  readonly pausedReason: string | null;
}

const NOT_FOUND = "Tenant not found.";

async function findTenant(db: Db, slug: string) {
  if (!isPlausibleSlug(slug)) return null;
  return db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, status: true, pausedAt: true, pausedReason: true } });
}

export async function pauseTenant(input: z.infer<typeof pauseTenantInput>, actor: AuditActor, meta: RequestMeta | null, now = new Date()): Promise<TenantPauseView> {
  return onPlatform(async (db) => {
    const tenant = await findTenant(db, input.slug);
    if (!tenant) throw new AppError("NOT_FOUND", NOT_FOUND);
    // The runtime role updates a tenant row only in that tenant's scope (migration 20261205200000).
    const scope = await enterTenant(db, tenantIdFromDatabase(tenant.id));
    // Conditional update: of two concurrent pauses exactly one wins; the other is told.
    tenantDataChanged(tenant.id);
    const { count } = await db.tenant.updateMany({ where: { id: tenant.id, pausedAt: null }, data: { pausedAt: now, pausedReason: input.reason } });
    if (count === 0) {
      const current = await findTenant(db, input.slug);
      throw new AppError("CONFLICT", `${tenant.slug} is already paused${current?.pausedAt ? ` (since ${formatPauseTime(current.pausedAt)}; reason: ${current.pausedReason})` : ""}. Resume it first to change the reason.`);
    }
    await recordAudit(scope, actor, meta, {
      action: "tenant.paused",
      targetType: "tenant",
      targetId: tenant.id,
      before: { paused: false },
      after: { paused: true, reason: input.reason },
    });
    return { slug: tenant.slug, pausedAt: now, pausedReason: input.reason };
  });
}

export async function resumeTenant(input: z.infer<typeof resumeTenantInput>, actor: AuditActor, meta: RequestMeta | null): Promise<TenantPauseView> {
  return onPlatform(async (db) => {
    const tenant = await findTenant(db, input.slug);
    if (!tenant) throw new AppError("NOT_FOUND", NOT_FOUND);
    const scope = await enterTenant(db, tenantIdFromDatabase(tenant.id));
    tenantDataChanged(tenant.id);
    const { count } = await db.tenant.updateMany({ where: { id: tenant.id, pausedAt: { not: null } }, data: { pausedAt: null, pausedReason: null } });
    if (count === 0) throw new AppError("CONFLICT", `${tenant.slug} is not paused.`);
    await recordAudit(scope, actor, meta, {
      action: "tenant.resumed",
      targetType: "tenant",
      targetId: tenant.id,
      before: { paused: true, pausedAt: tenant.pausedAt?.toISOString() ?? null, reason: tenant.pausedReason },
      after: { paused: false },
    });
    return { slug: tenant.slug, pausedAt: null, pausedReason: null };
  });
}
