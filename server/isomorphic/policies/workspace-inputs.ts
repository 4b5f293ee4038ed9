// Request schemas of workspaces (zod only, no server imports): the create form validates with the
// procedure's own schema.
import { z } from "zod";

export const WORKSPACE_SLUG_RULE = "lowercase letters, digits and hyphens, 2–63 characters, starting and ending with a letter or digit";

export const workspaceSlug = z
  .string()
  .trim()
  .min(2, `Workspace slug: ${WORKSPACE_SLUG_RULE}.`)
  .max(63, `Workspace slug: ${WORKSPACE_SLUG_RULE}.`)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, `Workspace slug: ${WORKSPACE_SLUG_RULE}.`);

export const workspaceName = z.string().trim().min(1, "Give the workspace a name.").max(200, "At most 200 characters.");

export const createWorkspaceInput = z.object({ slug: workspaceSlug, name: workspaceName });
export const workspaceRefInput = z.object({ workspace: workspaceSlug });
export const renameWorkspaceInput = z.object({ workspace: workspaceSlug, name: workspaceName });
