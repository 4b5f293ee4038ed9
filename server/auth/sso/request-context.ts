// What one SSO request (the sign-in start or the provider's callback) learns along the way, kept
// per request with AsyncLocalStorage because Auth.js sits between our handler and our callbacks:
// the request's metadata for audit events, the first failed identity-provider call (Auth.js only
// reports "Configuration"), and whether an outcome has already been audited.
import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestMeta } from "../../audit/record";
import type { IdpCallFailure } from "./idp-call";

export interface SsoRequestContext {
  meta: RequestMeta | null;
  failure: IdpCallFailure | null;
  outcomeRecorded: boolean;
}

const storage = new AsyncLocalStorage<SsoRequestContext>();

export async function runSsoRequest<T>(meta: RequestMeta | null, fn: () => Promise<T>): Promise<{ result: T; context: SsoRequestContext }> {
  const context: SsoRequestContext = { meta, failure: null, outcomeRecorded: false };
  const result = await storage.run(context, fn);
  return { result, context };
}

export function currentSsoRequest(): SsoRequestContext | undefined {
  return storage.getStore();
}
