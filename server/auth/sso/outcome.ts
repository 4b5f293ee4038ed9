// The decision on an SSO sign-in and its record in the platform audit stream. SSO never creates
// console users: only an existing, active operator whose e-mail the provider has verified gets in.
// Every outcome — success and each refusal — is one event, written in the same transaction as the
// lookup it is based on.
import { onPlatform, type Db } from "../../db/doors";
import { recordPlatformAudit } from "../../audit/platform-record";
import type { AuditActor, RequestMeta } from "../../audit/record";
import { createSession } from "../sessions";
import { readOperatorPolicy } from "../operator-policy";
import { resolveSsoEmail, type SsoProviderConfig } from "./claims";
import type { IdpCallFailure } from "./idp-call";
import { IdpCallError } from "./idp-fetch";
import { currentSsoRequest } from "./request-context";
import { findUserSummaryByEmail } from "../../accounts/platform-users-repository";

export type SsoRefusalReason = "unverified_email" | "unknown_user" | "suspended" | "provider_error";

export type SsoDecision =
  | { ok: true; user: { id: string; email: string; name: string }; sessionId: string }
  | { ok: false; reason: SsoRefusalReason; failure?: IdpCallFailure };

function actorFor(user: { id: string; email: string } | null, email: string | null): AuditActor {
  return { type: "user", id: user?.id ?? null, label: user?.email ?? email };
}

async function recordFailure(
  db: Db,
  meta: RequestMeta | null,
  reason: SsoRefusalReason,
  user: { id: string; email: string } | null,
  email: string | null,
  details: Record<string, unknown>,
) {
  await recordPlatformAudit(db, actorFor(user, email), meta, {
    action: "signin.failed",
    targetType: "user",
    targetId: user?.id ?? null,
    outcome: "failure",
    details: { method: "sso", reason, email, ...details },
  });
}

function markRecorded() {
  const request = currentSsoRequest();
  if (request) request.outcomeRecorded = true;
}

/**
 * A provider failure that ended the sign-in before any claim was seen (timeout, unreachable,
 * error answer, failed checks). `detail` names the Auth.js error or the failed call.
 */
export async function recordSsoProviderError(meta: RequestMeta | null, details: Record<string, unknown>): Promise<void> {
  await onPlatform((db) => recordFailure(db, meta, "provider_error", null, null, details));
  markRecorded();
}

/**
 * Decides an SSO sign-in from the validated ID token claims (and userinfo when they lack the
 * e-mail claims) and audits the outcome. Provider failures while reading userinfo are refusals
 * with reason provider_error.
 */
export async function decideSsoSignIn(
  provider: SsoProviderConfig,
  idTokenClaims: Record<string, unknown>,
  accessToken: string | undefined,
  meta: RequestMeta | null,
): Promise<SsoDecision> {
  const issuerHost = new URL(provider.issuer).host;
  let resolved;
  try {
    resolved = await resolveSsoEmail(provider, idTokenClaims, accessToken);
  } catch (error) {
    const failure = error instanceof IdpCallError ? error.failure : undefined;
    await recordSsoProviderError(meta, {
      issuer: issuerHost,
      ...(failure ? { call: failure.call, failure: failure.kind } : { error: error instanceof Error ? error.name : "unknown" }),
    });
    return { ok: false, reason: "provider_error", failure };
  }

  const decision = await onPlatform(async (db): Promise<SsoDecision> => {
    if (!resolved.ok) {
      await recordFailure(db, meta, "unverified_email", null, resolved.email, { issuer: issuerHost, claims: resolved.source, detail: resolved.detail });
      return { ok: false, reason: "unverified_email" };
    }
    const user = await findUserSummaryByEmail(db, resolved.email);
    if (!user) {
      await recordFailure(db, meta, "unknown_user", null, resolved.email, { issuer: issuerHost, claims: resolved.source });
      return { ok: false, reason: "unknown_user" };
    }
    if (user.status !== "active") {
      await recordFailure(db, meta, "suspended", user, resolved.email, { issuer: issuerHost, claims: resolved.source });
      return { ok: false, reason: "suspended" };
    }
    // The server-side session (auth_method "oidc") in the same transaction as its audit event; the
    // jwt callback puts its id into the token (sid).
    const session = await createSession(
      db,
      { userId: user.id, authMethod: "oidc", ip: meta?.ip ?? null, userAgent: meta?.userAgent ?? null },
      await readOperatorPolicy(db),
    );
    await recordPlatformAudit(db, actorFor(user, user.email), meta, {
      action: "signin.succeeded",
      // The same shape as a password sign-in's event (sign-in-events.ts): the session it started.
      targetType: "session",
      targetId: session.id,
      outcome: "success",
      details: { method: "sso", issuer: issuerHost, claims: resolved.source },
    });
    return { ok: true, user: { id: user.id, email: user.email, name: user.name }, sessionId: session.id };
  });
  markRecorded();
  return decision;
}
