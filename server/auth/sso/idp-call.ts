// What a failed call to the identity provider was: the types idp-fetch.ts reports and the request
// context (request-context.ts) keeps for the sign-in's outcome — apart, so neither imports the other.
export type IdpCall = "discovery" | "token" | "userinfo" | "jwks" | "other";

export interface IdpCallFailure {
  call: IdpCall;
  kind: "timeout" | "unreachable";
  /** Scheme, host and path of the call (no query: it may carry codes). */
  endpoint: string;
}
