// A TenantId is a tenant's primary key that has been through the tenant boundary: only the context
// resolver (server/tenancy/context.ts) and platform provisioning mint one. Repository functions take a
// TenantScope, which carries it, so they cannot be called with a raw string from a request.
import { isCanonicalUuid } from "../isomorphic/uuid";
declare const brand: unique symbol;
export type TenantId = string & { readonly [brand]: "TenantId" };

/**
 * Brands a tenant id read from the database. Callers: the resolver, provisioning, seeding and tests —
 * never request input (a reviewer can grep for this name).
 */
export function tenantIdFromDatabase(id: string): TenantId {
  if (!isCanonicalUuid(id)) throw new Error("not a tenant id");
  return id as TenantId;
}
