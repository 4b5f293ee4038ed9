// Where to go after signing in: only a path on this site. Anything else (absolute URLs,
// protocol-relative "//host", "/\host") falls back to the tenant list: no open redirect.
export const DEFAULT_AFTER_SIGNIN = "/tenants";

export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || value.length > 2048) return DEFAULT_AFTER_SIGNIN;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return DEFAULT_AFTER_SIGNIN;
  // Control characters and backslashes are never part of a console path.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return DEFAULT_AFTER_SIGNIN;
  return value;
}
