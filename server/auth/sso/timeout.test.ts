// A provider that accepts the connection and never answers: the sign-in gives up after
// AUTH_OIDC_TIMEOUT_SECONDS with a message for the person, a log line naming the call, and a
// signin.failed (provider_error) event — for the discovery call (sign-in start) and the token call
// (callback). Driven through the real Auth.js route handler. Also: every URL comes from AUTH_URL,
// not from the Host the request arrived with.
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { startLogCapture } from "../../observability/logger";

const PUBLIC_ORIGIN = "http://console.test:3999";
// The address the requests arrive at: not the public origin.
const ARRIVED_AT = "http://127.0.0.1:4999";

let server: Server;
let issuer = "";
const sockets = new Set<Socket>();
let discoveryAnswers = false;

function discoveryDocument() {
  return JSON.stringify({
    issuer,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["S256"],
  });
}

let handlers: { GET: (r: NextRequest) => Promise<Response>; POST: (r: NextRequest) => Promise<Response> };
let onPlatform: typeof import("../../db/doors").onPlatform;
let ssoErrorMessage: typeof import("../../isomorphic/auth/sso-errors").ssoErrorMessage;

beforeAll(async () => {
  // A TCP server that reads requests and answers only the discovery document, and only when asked.
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.once("data", (chunk) => {
      const requestLine = chunk.toString("latin1").split("\r\n")[0] ?? "";
      if (discoveryAnswers && requestLine.includes("/.well-known/openid-configuration")) {
        const body = discoveryDocument();
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      }
      // Anything else: connection accepted, request read, never an answer.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The app reads its environment once, at import: configure first, import after.
  Object.assign(process.env, {
    AUTH_OIDC_ISSUER: issuer,
    AUTH_OIDC_CLIENT_ID: "console",
    AUTH_OIDC_CLIENT_SECRET: "test-client-secret",
    AUTH_OIDC_TIMEOUT_SECONDS: "1",
    AUTH_URL: PUBLIC_ORIGIN,
  });
  handlers = await import("../../../app/api/auth/[...nextauth]/route");
  ({ onPlatform } = await import("../../db/doors"));
  ({ ssoErrorMessage } = await import("../../isomorphic/auth/sso-errors"));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const jar = new Map<string, string>();
function absorb(response: Response) {
  for (const c of response.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair!.indexOf("=");
    jar.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
}
const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function startSignIn(): Promise<Response> {
  const csrf = await handlers.GET(new NextRequest(`${ARRIVED_AT}/api/auth/csrf`, { headers: { host: "127.0.0.1:4999" } }));
  absorb(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await handlers.POST(
    new NextRequest(`${ARRIVED_AT}/api/auth/signin/oidc`, {
      method: "POST",
      headers: { host: "127.0.0.1:4999", cookie: cookie(), "content-type": "application/x-www-form-urlencoded", "user-agent": "vitest-timeout" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/tenants" }),
    }),
  );
  absorb(response);
  return response;
}

async function lastProviderError() {
  const rows = await onPlatform((db) => db.platformAuditEvent.findMany({ where: { action: "signin.failed" }, orderBy: { seq: "desc" }, take: 1 }));
  return rows[0];
}


describe("an identity provider that never answers", () => {
  it("sign-in start: the discovery call gives up after the timeout with a message, a log line and an audit event", async () => {
    discoveryAnswers = false;
    const spy = startLogCapture();
    const started = Date.now();
    const response = await startSignIn();
    const took = Date.now() - started;
    const logged = spy.lines() as { msg?: string; call?: string; timeoutMs?: number }[];
    spy.stop();

    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(8_000);
    const location = new URL(response.headers.get("location")!);
    expect(location.origin).toBe(PUBLIC_ORIGIN);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("error")).toBe("SsoTimeout");
    expect(ssoErrorMessage("SsoTimeout")).toMatch(/did not answer in time/);
    expect(logged).toContainEqual(expect.objectContaining({ msg: "identity provider call timed out", call: "discovery", timeoutMs: 1000 }));

    const event = await lastProviderError();
    expect(event).toMatchObject({ outcome: "failure", userAgent: "vitest-timeout" });
    expect(event!.details).toMatchObject({ method: "sso", reason: "provider_error", call: "discovery", failure: "timeout" });
  });

  it("redirect_uri comes from AUTH_URL, not from the Host the request arrived with", async () => {
    discoveryAnswers = true;
    const response = await startSignIn();
    const authorize = new URL(response.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe(`${issuer}/auth`);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${PUBLIC_ORIGIN}/api/auth/callback/oidc`);
  });

  it("callback: the token call gives up after the timeout with a message, a log line and an audit event", async () => {
    discoveryAnswers = true;
    const start = await startSignIn();
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;

    const spy = startLogCapture();
    const started = Date.now();
    const response = await handlers.GET(
      new NextRequest(`${ARRIVED_AT}/api/auth/callback/oidc?code=some-code&state=${encodeURIComponent(state)}`, {
        headers: { host: "127.0.0.1:4999", cookie: cookie() },
      }),
    );
    const took = Date.now() - started;
    const logged = spy.lines() as { msg?: string; call?: string; timeoutMs?: number }[];
    spy.stop();

    expect(took).toBeLessThan(8_000);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${PUBLIC_ORIGIN}/signin`);
    expect(location.searchParams.get("error")).toBe("SsoTimeout");
    expect(logged).toContainEqual(expect.objectContaining({ msg: "identity provider call timed out", call: "token" }));
    expect((await lastProviderError())!.details).toMatchObject({ reason: "provider_error", call: "token", failure: "timeout" });
  });
});

describe("a userinfo call that never answers", () => {
  it("the signIn callback refuses with the timeout message and audits provider_error naming userinfo", async () => {
    discoveryAnswers = true;
    const { ssoSignInCallback } = await import("./callbacks");
    const spy = startLogCapture();
    const answer = await ssoSignInCallback(
      { provider: "oidc", type: "oidc", providerAccountId: "abc", access_token: "token" },
      { sub: "abc" }, // an ID token without e-mail claims → userinfo
    );
    const logged = spy.lines() as { msg?: string; call?: string; timeoutMs?: number }[];
    spy.stop();
    expect(answer).toBe("/signin?error=SsoTimeout");
    expect(logged).toContainEqual(expect.objectContaining({ msg: "identity provider call timed out", call: "userinfo" }));
    expect((await lastProviderError())!.details).toMatchObject({ reason: "provider_error", call: "userinfo", failure: "timeout" });
  });
});

describe("idpFetch", () => {
  it("cuts off a provider that sends its headers and then stalls the body", async () => {
    const stalling = createServer((socket) => {
      sockets.add(socket);
      socket.once("data", () => socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"iss"));
    });
    await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/me`;
    const { idpFetchWithin, IdpCallError } = await import("./idp-fetch");
    const spy = startLogCapture();
    const started = Date.now();
    const error = await idpFetchWithin(300, url, { headers: { authorization: "Bearer x" } }).catch((e: unknown) => e);
    spy.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(IdpCallError);
    expect((error as InstanceType<typeof IdpCallError>).failure).toEqual({ call: "userinfo", kind: "timeout", endpoint: url });
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => stalling.close(() => resolve()));
  });

  it("names each OpenID call from the request's shape", async () => {
    const { classifyIdpCall } = await import("./idp-fetch");
    expect(classifyIdpCall("https://idp.example/.well-known/openid-configuration", {})).toBe("discovery");
    expect(classifyIdpCall("https://idp.example/token", { method: "POST", headers: { authorization: "Basic abc" } })).toBe("token");
    expect(classifyIdpCall("https://idp.example/me", { method: "GET", headers: { authorization: "Bearer abc" } })).toBe("userinfo");
    expect(classifyIdpCall("https://idp.example/jwks", { headers: { accept: "application/json, application/jwk-set+json" } })).toBe("jwks");
  });
});
