// SSO claim rules against a real OpenID Provider (panva's oidc-provider, in-process): userinfo is
// read when the ID token lacks the e-mail claims, only email_verified === true is accepted, SSO
// never creates users, and every outcome lands in the platform audit stream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPlatform } from "../../db/doors";
import { setUserStatus } from "../../accounts/platform-users-repository";
import { makeUser, uniq } from "../../testing/fixtures";
import { startTestIdp, type TestIdp, type TestIdpAccount } from "../../testing/oidc-idp";
import { signInAtTestIdp } from "../../testing/oidc-flow";
import { decideSsoSignIn } from "./outcome";
import { resolveSsoEmail } from "./claims";

const client = { clientId: "console", clientSecret: "test-client-secret", redirectUri: "http://console.test:3999/api/auth/callback/oidc" };
const domain = `${uniq("sso")}.example.test`;
const mail = (name: string) => `${name}@${domain}`;

const accounts: Record<string, TestIdpAccount> = {
  verified: { email: mail("verified"), email_verified: true },
  unverified: { email: mail("unverified"), email_verified: false },
  "verified-missing": { email: mail("verified-missing") },
  "verified-string": { email: mail("verified-string"), email_verified: "false" },
  "verified-string-true": { email: mail("verified-string-true"), email_verified: "true" },
  "no-email": { email_verified: true },
  unknown: { email: mail("unknown"), email_verified: true },
  suspended: { email: mail("suspended"), email_verified: true },
};

let conforming: TestIdp; // email claims only in userinfo (the spec's code flow)
let inIdToken: TestIdp; // email claims in the ID token too
const provider = (idp: TestIdp) => ({ issuer: idp.issuer, clientId: client.clientId, clientSecret: client.clientSecret });
const meta = { requestId: "sso-test", ip: "203.0.113.9", userAgent: "vitest" };

async function signInAs(idp: TestIdp, login: string) {
  const { idTokenClaims, accessToken } = await signInAtTestIdp(idp.issuer, client, login);
  return { idTokenClaims, accessToken, decision: await decideSsoSignIn(provider(idp), idTokenClaims, accessToken, meta) };
}

async function lastSsoEvent(email: string) {
  const rows = await onPlatform((db) => db.platformAuditEvent.findMany({ orderBy: { seq: "desc" }, take: 50 }));
  return rows.find((r) => (r.details as { email?: string } | null)?.email === email || r.actorLabel === email);
}

beforeAll(async () => {
  const base = { ...client, redirectUris: [client.redirectUri], accounts };
  conforming = await startTestIdp({ ...base, clientId: client.clientId, conformIdTokenClaims: true });
  inIdToken = await startTestIdp({ ...base, clientId: client.clientId, conformIdTokenClaims: false });
  for (const name of ["verified", "unverified", "verified-missing", "verified-string", "verified-string-true"]) await makeUser({ email: mail(name) });
  const suspended = await makeUser({ email: mail("suspended") });
  await onPlatform((db) => setUserStatus(db, suspended.id, "suspended"));
});

afterAll(async () => {
  await conforming?.stop();
  await inIdToken?.stop();
});

describe("SSO e-mail claims", () => {
  it("a spec-conforming provider keeps email out of the ID token: userinfo is read and the operator signs in", async () => {
    const { idTokenClaims, decision } = await signInAs(conforming, "verified");
    expect(idTokenClaims.email).toBeUndefined();
    expect(decision.ok).toBe(true);
    const event = await lastSsoEvent(mail("verified"));
    expect(event).toMatchObject({ action: "signin.succeeded", outcome: "success", actorType: "user", ip: "203.0.113.9" });
    expect(event!.details).toMatchObject({ method: "sso", claims: "userinfo" });
    // The server-side session of this sign-in, marked as an SSO one.
    const sessionId = decision.ok ? decision.sessionId : "";
    const session = await onPlatform((db) => db.operatorSession.findUnique({ where: { id: sessionId } }));
    expect(session).toMatchObject({ authMethod: "oidc", userId: decision.ok ? decision.user.id : "" });
  });

  it("uses the ID token's claims when it carries them (no userinfo needed)", async () => {
    const { idTokenClaims, decision } = await signInAs(inIdToken, "verified");
    expect(idTokenClaims).toMatchObject({ email: mail("verified"), email_verified: true });
    expect(decision.ok).toBe(true);
    expect((await lastSsoEvent(mail("verified")))!.details).toMatchObject({ claims: "id_token" });
  });

  it("falls back to userinfo when the ID token lacks email_verified", async () => {
    const { accessToken } = await signInAtTestIdp(conforming.issuer, client, "verified");
    const { sub } = (await signInAtTestIdp(conforming.issuer, client, "verified")).idTokenClaims;
    const fromIdToken = { sub, email: mail("verified") }; // email present, email_verified absent
    expect(await resolveSsoEmail(provider(conforming), fromIdToken, accessToken)).toEqual({ ok: true, email: mail("verified"), source: "userinfo" });
  });

  for (const idp of ["conforming", "inIdToken"] as const) {
    describe(idp === "conforming" ? "claims from userinfo" : "claims from the ID token", () => {
      const cases: [string, string][] = [
        ["unverified", "email_verified false"],
        ["verified-missing", "email_verified missing"],
        ["verified-string", 'email_verified the string "false"'],
        ["verified-string-true", 'email_verified the string "true" (not a boolean)'],
      ];
      for (const [login, what] of cases) {
        it(`refuses ${what} (reason unverified_email, audited)`, async () => {
          const { decision } = await signInAs(idp === "conforming" ? conforming : inIdToken, login);
          expect(decision).toEqual({ ok: false, reason: "unverified_email" });
          const event = await lastSsoEvent(mail(login));
          expect(event).toMatchObject({ action: "signin.failed", outcome: "failure" });
          expect(event!.details).toMatchObject({ method: "sso", reason: "unverified_email" });
        });
      }
    });
  }

  it("refuses a provider account without any e-mail", async () => {
    const { decision } = await signInAs(conforming, "no-email");
    expect(decision).toEqual({ ok: false, reason: "unverified_email" });
  });

  it("never creates a user: an unknown e-mail is refused (unknown_user, audited)", async () => {
    const { decision } = await signInAs(conforming, "unknown");
    expect(decision).toEqual({ ok: false, reason: "unknown_user" });
    expect(await onPlatform((db) => db.user.findUnique({ where: { email: mail("unknown") }, select: { id: true } }))).toBeNull();
    expect((await lastSsoEvent(mail("unknown")))!.details).toMatchObject({ method: "sso", reason: "unknown_user" });
  });

  it("refuses a suspended operator (suspended, audited) and creates no session", async () => {
    const before = await onPlatform((db) => db.operatorSession.count());
    const { decision } = await signInAs(conforming, "suspended");
    expect(decision).toEqual({ ok: false, reason: "suspended" });
    expect(await onPlatform((db) => db.operatorSession.count())).toBe(before);
    const event = await lastSsoEvent(mail("suspended"));
    expect(event).toMatchObject({ action: "signin.failed", targetType: "user" });
    expect(event!.targetId).not.toBeNull();
    expect(event!.details).toMatchObject({ reason: "suspended" });
  });

  it("an access token the provider does not know ends as a provider_error, audited", async () => {
    const { idTokenClaims } = await signInAtTestIdp(conforming.issuer, client, "verified");
    const decision = await decideSsoSignIn(provider(conforming), idTokenClaims, "not-a-valid-access-token", meta);
    expect(decision).toMatchObject({ ok: false, reason: "provider_error" });
  });
});
