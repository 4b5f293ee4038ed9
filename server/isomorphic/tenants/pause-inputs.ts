// The pause and resume requests: checked by the platform procedures, the reason's limit shown by the
// pause form.
import { z } from "zod";

export const PAUSE_REASON_MAX = 500;

export const pauseTenantInput = z.object({
  slug: z.string().trim().max(100),
  reason: z
    .string({ error: "Give a reason for the pause." })
    .trim()
    .min(1, "Give a reason for the pause (the tenant's operators see it).")
    .max(PAUSE_REASON_MAX, `The reason must be at most ${PAUSE_REASON_MAX} characters.`),
});
export const resumeTenantInput = z.object({ slug: z.string().trim().max(100) });
