// Bulk entity deletions. A list is accepted only if EVERY id is one of this tenant's: one foreign
// (or unknown) id refuses the whole list and nothing changes — a mixed list is a mistake or a probe,
// and a partial deletion would tell which ids exist elsewhere. The procedure's one tenant
// transaction makes each call all-or-nothing; every item gets its own audit event, as singly.
import { z } from "zod";
import type { AuditActor, Auditor } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { AppError } from "../errors";
import { deleteClient } from "../clients/service";
import { revokeApiKey } from "../api-keys/service";

export const BULK_MAX = 100;
export const bulkIdsInput = z.object({
  ids: z.array(z.uuid("Unknown id.")).min(1, "Select at least one.").max(BULK_MAX, `At most ${BULK_MAX} at once.`),
});

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.map((i) => i.toLowerCase()))];
}

function refuseWhole(what: string, missing: number): never {
  throw new AppError(
    "NOT_FOUND",
    `${missing} of the selected ${what} ${missing === 1 ? "is" : "are"} not in this tenant: nothing was deleted. Reload the list and select again.`,
  );
}

/** Deletes OAuth clients (and their secrets; client_ids and redirect URIs are released). */
export async function deleteClientsBulk(scope: TenantScope, audit: Auditor, rawIds: readonly string[]): Promise<{ deleted: string[] }> {
  const ids = unique(rawIds);
  const found = await scope.db.oAuthClient.findMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, select: { id: true } });
  if (found.length !== ids.length) refuseWhole("clients", ids.length - found.length);
  for (const id of ids) await deleteClient(scope, audit, id);
  return { deleted: ids };
}

/** Revokes API keys; keys already revoked are left as they are (and reported). */
export async function revokeApiKeysBulk(scope: TenantScope, audit: Auditor, actor: AuditActor, rawIds: readonly string[]): Promise<{ revoked: string[]; alreadyRevoked: string[] }> {
  const ids = unique(rawIds);
  const found = await scope.db.apiKey.findMany({ where: { tenantId: scope.tenantId, id: { in: ids } }, select: { id: true, revokedAt: true } });
  if (found.length !== ids.length) refuseWhole("API keys", ids.length - found.length);
  const alreadyRevoked = found.filter((k) => k.revokedAt).map((k) => k.id);
  const revoked: string[] = [];
  for (const k of found) {
    if (k.revokedAt) continue;
    await revokeApiKey(scope, audit, actor, k.id);
    revoked.push(k.id);
  }
  return { revoked, alreadyRevoked };
}
