// ADR-003: an exact redirect URI belongs to one tenant. Each URI a tenant's clients register is
// claimed in the platform registry (global_identifiers, kind "oauth.redirect_uri", by SHA-256 of
// the exact string); a URI another tenant holds is refused without saying which tenant holds it.
// Clients of the same tenant may share a URI; the claim is released when the tenant's last client
// using it lets go. Loopback IP URIs (http://127.0.0.1/…, http://[::1]/…) are exempt: every
// native app on every machine uses them, they route to no one, and the client_id already decides
// the tenant.
import { createHash } from "node:crypto";
import type { TenantScope } from "../db/doors";
import { isUniqueViolation } from "../db/errors";
import { AppError } from "../isomorphic/errors";
import { claimGlobalIdentifier, findIdentifierOwner, IDENTIFIER_KINDS, releaseGlobalIdentifier } from "../tenancy/global-identifiers-repository";
import { redirectUrisInUse } from "./repository";

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::[0-9]+)?(?:[/?]|$)/;

/** The registry value a URI is claimed by (also used by the backup import's batched checks). */
export function claimValue(uri: string): string {
  return `sha256:${createHash("sha256").update(uri, "utf8").digest("hex")}`;
}

/** Loopback IP URIs are never claimed. */
export function claimable(uri: string): boolean {
  return !LOOPBACK.test(uri);
}

function takenElsewhere(uri: string): AppError {
  return new AppError(
    "REDIRECT_URI_TAKEN",
    `${uri} is already registered by another tenant. A redirect URI can belong to one tenant only; use a URI on a domain you control.`,
    { field: "redirectUris" },
  );
}

/** Claims every URI in `uris` for the scope's tenant (already-held ones are fine). */
export async function claimRedirectUris(scope: TenantScope, uris: readonly string[]): Promise<void> {
  for (const uri of uris.filter(claimable)) {
    const value = claimValue(uri);
    const owner = await findIdentifierOwner(scope.db, IDENTIFIER_KINDS.redirectUri, value);
    if (owner === scope.tenantId) continue;
    if (owner) throw takenElsewhere(uri);
    try {
      await claimGlobalIdentifier(scope.db, IDENTIFIER_KINDS.redirectUri, value, scope.tenantId);
    } catch (e) {
      // Another tenant claimed it between our read and write.
      if (isUniqueViolation(e)) throw takenElsewhere(uri);
      throw e;
    }
  }
}

/** Releases the URIs `clientRowId` no longer uses, unless another client of the tenant still does. */
export async function releaseRedirectUris(scope: TenantScope, dropped: readonly string[], clientRowId: string): Promise<void> {
  const candidates = dropped.filter(claimable);
  if (!candidates.length) return;
  const stillUsed = await redirectUrisInUse(scope, clientRowId);
  for (const uri of candidates) {
    if (!stillUsed.has(uri)) await releaseGlobalIdentifier(scope.db, IDENTIFIER_KINDS.redirectUri, claimValue(uri), scope.tenantId);
  }
}
