// Request schema of API-key creation, loadable in the browser too (zod and the permission list
// only): the create-key form validates with the very schema the procedure parses.
import { z } from "zod";
import { TENANT_PERMISSIONS } from "../auth/permissions";

export const API_KEY_MAX_DAYS = 730;

export const createApiKeyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the key a name that says what uses it (e.g. “CI deploy”).")
    .max(100, "Key names are at most 100 characters."),
  scopes: z
    .array(z.enum(TENANT_PERMISSIONS, { error: "Unknown scope." }))
    .min(1, "Choose at least one scope.")
    .max(TENANT_PERMISSIONS.length),
  /** Days until expiry; null = never expires. */
  expiresInDays: z
    .number({ error: "Choose an expiry." })
    .int("Expiry is a whole number of days.")
    .min(1, "A key must live at least one day.")
    .max(API_KEY_MAX_DAYS, `Keys expire after at most ${API_KEY_MAX_DAYS} days (or choose “never”).`)
    .nullable(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

