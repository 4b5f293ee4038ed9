// Tenant slugs: the path segment of /t/[tenant]/… and of public endpoints.
import { z } from "zod";

/** Words that would collide with routes, well-known paths or look like the platform itself. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "admin", "api", "app", "auth", "console", "credo", "default", "global", "help", "internal", "login",
  "logout", "new", "null", "platform", "public", "root", "settings", "signin", "signout", "static",
  "status", "support", "system", "t", "tenant", "tenants", "undefined", "well-known", "www", "_next",
]);

export const SLUG_RULE = "lowercase letters, digits and hyphens, 3–63 characters, starting and ending with a letter or digit";

/** Validation of a NEW slug (creation). */
export const newSlugSchema = z
  .string()
  .trim()
  .min(3, `Slug must be at least 3 characters (${SLUG_RULE}).`)
  .max(63, "Slug must be at most 63 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, `Slug may contain only ${SLUG_RULE}.`)
  .refine((s) => !s.includes("--"), "Slug may not contain two hyphens in a row.")
  .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved; choose another.");

/** Shape check of a slug taken from a path: anything else cannot name a tenant. */
export function isPlausibleSlug(s: string): boolean {
  return s.length >= 1 && s.length <= 63 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(s);
}
