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
  "tenant.overview": "tenant",
  "members.list": "tenant",
  "members.add": "tenant",
  "members.remove": "tenant",
  "audit.list": "tenant",
  "audit.verifyChain": "tenant",
  "keys.list": "tenant",
  "keys.stage": "tenant",
  "keys.promote": "tenant",
  "keys.revoke": "tenant",
  "keys.rotateAndRevoke": "tenant",
  "apiKeys.list": "tenant",
  "apiKeys.create": "tenant",
  "apiKeys.revoke": "tenant",
  "clients.list": "tenant",
  "clients.get": "tenant",
  "clients.checkUris": "tenant",
  "clients.create": "tenant",
  "clients.update": "tenant",
  "clients.setEnabled": "tenant",
  "clients.delete": "tenant",
  "clients.rotateSecret": "tenant",
  "policies.get": "tenant",
  "policies.setRegulatedMode": "tenant",
};
