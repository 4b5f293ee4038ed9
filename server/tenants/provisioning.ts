// Tenant provisioning (security admins): one transaction creates the tenant row, switches the scope
// into the new tenant, creates its first (current) signing key, invites its first owner (optional)
// and writes the audit events. The owner is invited, never added directly: nobody becomes a member
// without accepting, and the answer is the same whether or not the address has an account. Later capabilities (policies) add their per-tenant initial rows here,
// called directly like the signing key, so a reader sees everything a new tenant gets in one place.
import { onPlatform, enterTenant } from "../db/doors";
import { auditorFor, recordAudit, type AuditActor, type RequestMeta } from "../audit/record";
import { provisionInitialKey } from "../signing-keys/service";
import { tenantIdFromDatabase, type TenantId } from "../tenancy/tenant-id";
import { inviteMember } from "../accounts/invitations";
import { insertTenant } from "./platform-repository";
import { AppError } from "../isomorphic/errors";
import { isUniqueViolation } from "../db/errors";

// The input schema is shared with the create-tenant form.
import type { ProvisionTenantInput } from "../isomorphic/tenancy/inputs";
export { provisionTenantInput, type ProvisionTenantInput } from "../isomorphic/tenancy/inputs";

export async function provisionTenant(
  input: ProvisionTenantInput,
  actor: AuditActor,
  meta: RequestMeta | null,
): Promise<{ id: TenantId; slug: string; name: string; ownerInvited: boolean }> {
  try {
    return await onPlatform(async (db) => {
      const row = await insertTenant(db, input.slug, input.name);
      const scope = await enterTenant(db, tenantIdFromDatabase(row.id));
      await recordAudit(scope, actor, meta, {
        action: "tenant.created",
        targetType: "tenant",
        targetId: row.id,
        after: { slug: row.slug, name: row.name },
      });
      // Every tenant has exactly one current signing key from its first moment on.
      await provisionInitialKey(scope, auditorFor(scope, actor, meta), actor);
      // If the e-mail cannot be sent, the whole provisioning is undone (sendInTransaction).
      if (input.ownerEmail) await inviteMember(scope, auditorFor(scope, actor, meta), actor, meta, row.name, { email: input.ownerEmail, role: "owner" });
      return { id: scope.tenantId, slug: row.slug, name: row.name, ownerInvited: Boolean(input.ownerEmail) };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("SLUG_TAKEN", `The slug "${input.slug}" is already taken.`, { field: "slug" });
    throw e;
  }
}
