// The console's public origin: `npm start` refuses SSO without one; absolute URLs never come from a Host header.
import { describe, expect, it } from "vitest";
import { publicOriginStartupProblem } from "./public-origin-check";
import { absoluteUrl, publicOrigin } from "./public-origin";
import { oidcConfigured, type Env } from "../env";

const sso = { AUTH_OIDC_ISSUER: "https://idp.example", AUTH_OIDC_CLIENT_ID: "console", AUTH_OIDC_CLIENT_SECRET: "s" };

describe("public origin", () => {
  it("npm start refuses SSO without AUTH_URL, naming the variable and the redirect URI to register", () => {
    const problem = publicOriginStartupProblem({ ...sso });
    expect(problem).toMatch(/AUTH_URL is required/);
    expect(problem).toMatch(/\/api\/auth\/callback\/oidc/);
    expect(publicOriginStartupProblem({ ...sso, AUTH_URL: "https://console.example.com" })).toBeNull();
    // No SSO: nothing to refuse (e-mail links then fall back or fail on their own).
    expect(publicOriginStartupProblem({ AUTH_OIDC_ISSUER: "https://idp.example" })).toBeNull();
  });

  it("SSO stays off in production without a public origin, even if the app is started another way", () => {
    const base = { ...sso, NODE_ENV: "production" } as unknown as Env;
    expect(oidcConfigured(base)).toBe(false);
    expect(oidcConfigured({ ...base, AUTH_URL: "https://console.example.com" })).toBe(true);
    expect(oidcConfigured({ ...base, NODE_ENV: "test" })).toBe(true);
  });

  it("builds absolute URLs from the origin and only from paths", () => {
    expect(absoluteUrl("/invitations/accept?x=1")).toBe(`${publicOrigin()}/invitations/accept?x=1`);
    expect(() => absoluteUrl("//evil.example/x")).toThrow();
    expect(() => absoluteUrl("https://evil.example/x")).toThrow();
  });
});
