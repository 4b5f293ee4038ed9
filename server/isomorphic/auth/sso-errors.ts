// The `?error=` codes an SSO sign-in can end with on /signin, and what the person is told.
export const SSO_ERROR = {
  timeout: "SsoTimeout",
  unavailable: "SsoUnavailable",
  unverifiedEmail: "SsoUnverifiedEmail",
  providerError: "SsoProviderError",
} as const;

export function ssoErrorMessage(code: string): string | null {
  switch (code) {
    case SSO_ERROR.timeout:
      return "The single sign-on provider did not answer in time. Try again in a few minutes or sign in with your e-mail and password.";
    case SSO_ERROR.unavailable:
      return "The single sign-on provider could not be reached. Try again in a few minutes or sign in with your e-mail and password.";
    case SSO_ERROR.unverifiedEmail:
      return "Your single sign-on provider has not confirmed your e-mail address, so it cannot be used to sign in here. Ask your identity administrator to verify it.";
    case SSO_ERROR.providerError:
      return "The single sign-on provider's answer could not be used. Try again or sign in with your e-mail and password.";
    default:
      return null;
  }
}
