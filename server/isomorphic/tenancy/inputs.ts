// Request schemas of tenant provisioning, loadable in the browser too (zod only, no server imports):
// the create-tenant form validates with the very schema the procedure parses.
import { z } from "zod";
import { newSlugSchema } from "./slug";

export const provisionTenantInput = z.object({
  slug: newSlugSchema,
  name: z.string().trim().min(1, "Name is required.").max(200, "Name must be at most 200 characters."),
  ownerEmail: z.string().trim().toLowerCase().email("Owner must be a valid e-mail address.").max(320).optional(),
});
export type ProvisionTenantInput = z.infer<typeof provisionTenantInput>;
