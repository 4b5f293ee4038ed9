// A TenantId is a tenant's primary key that has been through the tenant boundary: only the context
// resolver (server/tenancy/context.ts) and platform provisioning mint one. Repository functions take a
// TenantScope, which carries it, so they cannot be called with a raw string from a request.
declare const brand: unique symbol;
export type TenantId = string & { readonly [brand]: "TenantId" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Brands a tenant id read from the database. Callers: the resolver, provisioning, seeding and tests —
 * never request input (a reviewer can grep for this name).
 */
export function tenantIdFromDatabase(id: string): TenantId {
  if (!UUID.test(id)) throw new Error("not a tenant id");
  return id as TenantId;
}
