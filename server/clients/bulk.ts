// Bulk deletion of OAuth clients: all-or-nothing over this tenant's ids (rules in server/lists/bulk.ts).
import type { Auditor } from "../audit/record";
import type { TenantScope } from "../db/doors";
import { refuseWholeSelection, uniqueIds } from "../lists/bulk";
import { findClientIds } from "./repository";
import { deleteClient } from "./service";

/** Deletes OAuth clients (and their secrets; client_ids and redirect URIs are released). */
export async function deleteClientsBulk(scope: TenantScope, audit: Auditor, rawIds: readonly string[]): Promise<{ deleted: string[] }> {
  const ids = uniqueIds(rawIds);
  const found = await findClientIds(scope, ids);
  if (found.length !== ids.length) refuseWholeSelection("clients", ids.length - found.length);
  for (const id of ids) await deleteClient(scope, audit, id);
  return { deleted: ids };
}
