// Every procedure of the app router, classified. The coverage gate
// (server/api/procedure-manifest.test.ts) fails when a procedure is missing here or its class
// differs from how it is built, and calls every tenant procedure with a foreign tenant.
//   public    no session
//   user      any signed-in operator, no tenant data (own profile, own tenant list)
//   platform  security admins only (platform-wide tables)
//   tenant    tenantProcedure: tenant from the path, role from the membership, RLS-scoped
export type ProcedureClass = "public" | "user" | "platform" | "tenant";

export const PROCEDURE_MANIFEST: Readonly<Record<string, ProcedureClass>> = {
  "me.profile": "user",
  "me.tenants": "user",
  "platform.listTenants": "platform",
  "platform.createTenant": "platform",
  "platform.pauseTenant": "platform",
  "platform.resumeTenant": "platform",
  "platform.auditEvents": "platform",
  "tenant.overview": "tenant",
  "members.list": "tenant",
  "members.add": "tenant",
  "members.remove": "tenant",
  "audit.list": "tenant",
  "audit.verifyChain": "tenant",
  "audit.retention": "tenant",
  "audit.checkpoint": "tenant",
  "audit.requestExport": "tenant",
  "audit.exports": "tenant",
  "keys.list": "tenant",
  "keys.stage": "tenant",
  "keys.promote": "tenant",
  "keys.revoke": "tenant",
  "keys.rotateAndRevoke": "tenant",
  "apiKeys.list": "tenant",
  "apiKeys.create": "tenant",
  "apiKeys.revoke": "tenant",
  "apiKeys.revokeMany": "tenant",
  "clients.list": "tenant",
  "clients.get": "tenant",
  "clients.checkUris": "tenant",
  "clients.create": "tenant",
  "clients.update": "tenant",
  "clients.setEnabled": "tenant",
  "clients.delete": "tenant",
  "clients.deleteMany": "tenant",
  "clients.rotateSecret": "tenant",
  "policies.get": "tenant",
  "policies.setRegulatedMode": "tenant",
  "rateLimits.usage": "tenant",
  "policies.effective": "tenant",
  "policies.state": "tenant",
  "policies.versions": "tenant",
  "policies.diff": "tenant",
  "policies.save": "tenant",
  "policies.resetField": "tenant",
  "policies.rollback": "tenant",
  "workspaces.list": "tenant",
  "workspaces.create": "tenant",
  "workspaces.rename": "tenant",
  "workspaces.delete": "tenant",
  "globalPolicies.state": "platform",
  "globalPolicies.versions": "platform",
  "globalPolicies.diff": "platform",
  "globalPolicies.save": "platform",
  "globalPolicies.resetField": "platform",
  "globalPolicies.rollback": "platform",
  "deletion.configurationExport": "tenant",
  "deletion.preview": "tenant",
  "deletion.request": "tenant",
  "deletion.status": "tenant",
  "deletion.cancel": "tenant",
  "platformDeletions.list": "platform",
  "platformDeletions.shortenGrace": "platform",
  "platformDeletions.receipt": "platform",
  "factors.mine": "user",
  "factors.enrolTotp": "user",
  "factors.confirmTotp": "user",
  "factors.passkeyRegistrationOptions": "user",
  "factors.registerPasskey": "user",
  "factors.renamePasskey": "user",
  "factors.remove": "user",
  "factors.regenerateRecoveryCodes": "user",
  "factors.passkeyOptions": "user",
  "factors.verify": "user",
  "factors.stepUp": "user",
  "platformFactors.list": "platform",
  "platformFactors.remove": "platform",
  "sessions.mine": "user",
  "sessions.revoke": "user",
  "sessions.revokeOthers": "user",
  "platformSessions.sessions": "platform",
  "platformSessions.revokeSessions": "platform",
  "platformAudit.list": "platform",
  "platformAudit.verify": "platform",
  "platformAudit.checkpoint": "platform",
};

/**
 * Tenant MUTATIONS support staff may call. Support is read-only on a tenant — but taking the audit
 * trail away for an investigation is the point of their grant (audit.export), and requesting an
 * export is a mutation: it writes an export row, an audit event and a job. It changes nothing of the
 * tenant's configuration or data. The coverage gate (procedure-manifest.test.ts) holds every OTHER
 * tenant mutation to "FORBIDDEN for support", and each entry here to: a tenant mutation, whose
 * permission support holds. Adding to this list is a deliberate decision; say why.
 */
export const SUPPORT_PERMITTED_MUTATIONS: Readonly<Record<string, string>> = {
  "audit.requestExport": "support exports the audit trail it may read (audit.export); the export changes nothing in the tenant",
};
