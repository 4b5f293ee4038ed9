// Checked by the launcher (server/cli/serve.ts) before the app's env module loads, hence no imports.

/**
 * Why `npm start` must refuse to run, or null. With SSO configured the IdP redirects back to
 * AUTH_URL; without it Auth.js would build the redirect_uri from each request's Host header.
 * Takes the raw environment because the launcher checks it before the app's env module loads.
 */
export function publicOriginStartupProblem(vars: Record<string, string | undefined>): string | null {
  const ssoConfigured = Boolean(vars.AUTH_OIDC_ISSUER && vars.AUTH_OIDC_CLIENT_ID && vars.AUTH_OIDC_CLIENT_SECRET);
  if (!ssoConfigured || vars.AUTH_URL) return null;
  return (
    "AUTH_URL is required for `npm start` when single sign-on is configured (AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, " +
    "AUTH_OIDC_CLIENT_SECRET): set it to the console's public origin, e.g. AUTH_URL=https://console.example.com, and " +
    "register <AUTH_URL>/api/auth/callback/oidc as the redirect URI at your identity provider."
  );
}
