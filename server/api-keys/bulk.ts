// Bulk revocation of API keys: all-or-nothing over this tenant's ids (rules in server/lists/bulk.ts).
import type { AuditActor, Auditor } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { refuseWholeSelection, uniqueIds } from "../lists/bulk";
import { findApiKeyRevocations } from "./repository";
import { revokeApiKey } from "./service";

/** Revokes API keys; keys already revoked are left as they are (and reported). */
export async function revokeApiKeysBulk(scope: TenantScope, audit: Auditor, actor: AuditActor, rawIds: readonly string[]): Promise<{ revoked: string[]; alreadyRevoked: string[] }> {
  const ids = uniqueIds(rawIds);
  const found = await findApiKeyRevocations(scope, ids);
  if (found.length !== ids.length) refuseWholeSelection("API keys", ids.length - found.length);
  const alreadyRevoked = found.filter((k) => k.revokedAt).map((k) => k.id);
  const revoked: string[] = [];
  for (const k of found) {
    if (k.revokedAt) continue;
    await revokeApiKey(scope, audit, actor, k.id);
    revoked.push(k.id);
  }
  return { revoked, alreadyRevoked };
}
