// Bulk selections shared by every list with a bulk action (clients, API keys). A list is accepted only
// if EVERY id is one of this tenant's: one foreign (or unknown) id refuses the whole list and nothing
// changes — a mixed list is a mistake or a probe, and a partial deletion would tell which ids exist
// elsewhere. The procedure's one tenant transaction makes each call all-or-nothing; every item gets
// its own audit event, as singly. The domain operations live beside their domain
// (server/clients/bulk.ts, server/api-keys/bulk.ts).
import { z } from "zod";
import { AppError } from "../isomorphic/errors";

export const BULK_MAX = 100;
export const bulkIdsInput = z.object({
  ids: z.array(z.uuid("Unknown id.")).min(1, "Select at least one.").max(BULK_MAX, `At most ${BULK_MAX} at once.`),
});

/** The selection without duplicates (ids compared case-insensitively, as PostgreSQL compares uuids). */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((i) => i.toLowerCase()))];
}

/** Refuses the whole selection: `missing` of its ids are not this tenant's. */
export function refuseWholeSelection(what: string, missing: number): never {
  throw new AppError(
    "NOT_FOUND",
    `${missing} of the selected ${what} ${missing === 1 ? "is" : "are"} not in this tenant: nothing was deleted. Reload the list and select again.`,
  );
}
