// Request schemas of policy procedures (zod only, no server imports), for the tenant and workspace
// levels and the global defaults. The tenant slug comes from tenantProcedure; these are the rest.
import { z } from "zod";
import { MAX_COMMENT_LENGTH } from "../isomorphic/policies/sections";
import { workspaceSlug } from "../isomorphic/policies/workspace-inputs";

const comment = z.string().max(MAX_COMMENT_LENGTH, `comment: At most ${MAX_COMMENT_LENGTH} characters.`);
const expectedVersion = z.number({ error: "expectedVersion: the version your change is based on (0 before the first save)." }).int().min(0).max(2_147_483_647);
const versionNumber = z.number().int().min(1).max(2_147_483_647);
const versionId = z.string().uuid("Policy version not found.");

/** A save, reset or rollback: the new version's basis and why. */
export const saveInput = z.object({ document: z.unknown(), expectedVersion, comment });
export const resetFieldInput = z.object({ section: z.string().max(64), field: z.string().max(64), expectedVersion, comment: comment.optional() });
export const listVersionsInput = z.object({ cursor: versionNumber.nullish(), limit: z.number().int().min(1).max(100).default(20) });
export const rollbackOptions = z.object({ expectedVersion, comment: comment.optional() });

// Tenant and workspace levels: a version is named by its row id.
export const targetInput = z.object({ workspace: workspaceSlug.nullish() });
export const tenantSaveInput = targetInput.extend(saveInput.shape);
export const tenantResetFieldInput = targetInput.extend(resetFieldInput.shape);
export const tenantListVersionsInput = targetInput.extend(listVersionsInput.shape);
export const rollbackInput = rollbackOptions.extend({ versionId });
/** `fromVersionId` omitted = the version just before `to`; null = nothing (before the first). */
export const diffInput = z.object({ toVersionId: versionId, fromVersionId: versionId.nullish() });

// Global defaults: a version is named by its number (the global table's key).
export const globalRollbackInput = rollbackOptions.extend({ toVersion: versionNumber });
export const globalDiffInput = z.object({ to: versionNumber, from: versionNumber.nullish() });

export const setRegulatedModeInput = z.object({
  regulatedMode: z.boolean({ error: "regulatedMode is true or false." }),
  /** Required to turn it off (security admins only): why, for the tenant's audit trail. */
  reason: z.string().trim().max(400, "reason: At most 400 characters.").optional(),
});
