// What each tenant permission lets its holder do, in a few words — shown next to API key scopes
// ("keys.read — View signing keys"). Typed against the matrix, so a new permission must get one.
import type { TenantPermission } from "@/server/isomorphic/auth/permissions";

export const SCOPE_DESCRIPTIONS: Readonly<Record<TenantPermission, string>> = {
  "tenant.view": "View the tenant overview",
  "members.read": "View members and support grants",
  "members.manage": "Add and remove members, grant support access",
  "audit.read": "Read the audit trail",
  "audit.export": "Export the audit trail",
  "audit.manage": "Record signed audit checkpoints",
  "keys.read": "View signing keys",
  "keys.manage": "Rotate, promote and revoke signing keys",
  "apikeys.manage": "Create and revoke API keys",
  "clients.read": "View OAuth clients",
  "clients.manage": "Create, change and delete OAuth clients",
  "policies.read": "View sign-in and password policies",
  "policies.manage": "Change sign-in and password policies",
  "ratelimits.read": "View rate limits",
  "usage.read": "View usage",
  "ratelimits.manage": "Change rate limits",
  "tenant.delete": "Delete the tenant",
  "backup.export": "Download the tenant's configuration backup",
  "backup.restore": "Restore a configuration backup into this tenant",
};

/** "keys.read — View signing keys" */
export function scopeLabel(scope: TenantPermission): string {
  return `${scope} — ${SCOPE_DESCRIPTIONS[scope]}`;
}
