// Structured logs (server/observability/logger.ts): every tRPC procedure, HTTP route and job logs
// request id, tenant id, actor, procedure/route/job, duration and outcome — and known secrets (an API
// key in an Authorization header, a password typed into a failing sign-in) never appear in the output,
// neither through the real request paths nor when a call site logs them by mistake (redaction by
// configuration). Real PostgreSQL and Redis.
import { afterAll, describe, expect, it } from "vitest";
import { handleTrpcRequest } from "../api/http";
import { authenticate } from "../auth/credentials";
import { hashPassword } from "../auth/password";
import { inTenant, onPlatform } from "../db/doors";
import { createUser } from "../accounts/platform-users-repository";
import { callerFor, twoTenantWorld, uniq } from "../testing/fixtures";
import { GET as jwksGET } from "@/app/api/public/tenants/[tenant]/jwks/route";
import { captureLogs, logger, REDACTED, serializeError } from "./logger";
import { observeJobRun } from "./request";
import { resetMetrics } from "./metrics";

afterAll(() => resetMetrics());

function trpcGet(path: string, input: unknown, headers: Record<string, string> = {}) {
  const encoded = encodeURIComponent(JSON.stringify({ json: input }));
  return handleTrpcRequest(new Request(`http://localhost/api/trpc/${path}?input=${encoded}`, { headers }), async () => null);
}

describe("request log lines", () => {
  it("an API-key tRPC call logs request id, tenant id, actor, procedure, duration and outcome — never the key", async () => {
    const w = await twoTenantWorld();
    const { value: key } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "log test", scopes: ["keys.read"], expiresInDays: 1 });
    const secret = key.split("_").at(-1)!;

    const { result: res, text, lines } = await captureLogs(() => trpcGet("keys.list", { tenant: w.a.slug }, { authorization: `Bearer ${key}`, "x-request-id": "req-log-test-1" }));
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.msg === "procedure" && l.procedure === "keys.list");
    expect(line).toMatchObject({ level: "info", requestId: "req-log-test-1", tenantId: w.a.id, outcome: "ok", type: "query" });
    expect(line!.actor).toMatch(/^api_key:[a-z0-9]{12}$/);
    expect(typeof line!.durationMs).toBe("number");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(key);
  });

  it("a refused call logs its outcome code; a wrong key's secret is not logged either", async () => {
    const w = await twoTenantWorld();
    const wrong = `tc_abcdefghijkl_${"S".repeat(43)}`;
    const refused = await captureLogs(() => trpcGet("keys.list", { tenant: w.a.slug }, { authorization: `Bearer ${wrong}` }));
    expect(refused.result.status).toBe(401);
    expect(refused.text).not.toContain("S".repeat(43));

    const foreign = await captureLogs(() => callerFor(w.ownerA.id).keys.list({ tenant: w.b.slug }).catch(() => null));
    expect(foreign.lines.find((l) => l.msg === "procedure" && l.procedure === "keys.list")).toMatchObject({ outcome: "not_found", actor: `user:${w.ownerA.id}` });
  });

  it("an HTTP route logs method + route, status, duration and the tenant it entered", async () => {
    const w = await twoTenantWorld();
    const { result: res, lines } = await captureLogs(() => jwksGET(new Request(`http://localhost/${w.a.slug}/.well-known/jwks.json`), { params: Promise.resolve({ tenant: w.a.slug }) }));
    expect(res.status).toBe(200);
    const line = lines.find((l) => l.msg === "http request");
    expect(line).toMatchObject({ route: "GET /api/public/tenants/[tenant]/jwks", status: 200, outcome: "ok", actor: "anonymous", tenantId: w.a.id });
    expect(typeof line!.requestId).toBe("string");
  });

  it("a job run logs its tenant, task, duration and outcome, and every line inside carries them", async () => {
    const w = await twoTenantWorld();
    const { lines } = await captureLogs(() =>
      observeJobRun({ task: "test.log", jobId: "42", tenantId: w.a.id, attempt: 1 }, async () => {
        await inTenant(w.a.id, (s) => s.db.$queryRaw`SELECT 1`);
        logger.info("inside the job");
      }),
    );
    expect(lines.find((l) => l.msg === "inside the job")).toMatchObject({ tenantId: w.a.id, job: "test.log", actor: "job", requestId: "job:42" });
    expect(lines.find((l) => l.msg === "job")).toMatchObject({ tenantId: w.a.id, job: "test.log", outcome: "success", attempt: 1 });
  });
});

describe("secrets and personal data never reach the log", () => {
  it("a failing sign-in logs the failure without the password or the e-mail address", async () => {
    const email = `${uniq("signin")}@example.test`;
    await onPlatform(async (db) => createUser(db, { email, name: "Log Test", passwordHash: await hashPassword("Correct-Horse-Battery-1") }));
    const typed = "Wrong-Password-Known-Secret-987";
    const { result, text, lines } = await captureLogs(() => authenticate({ email, password: typed }, "203.0.113.9", "vitest"));
    expect(result).toEqual({ ok: false, reason: "invalid" });
    expect(lines.some((l) => l.msg === "sign-in failed")).toBe(true);
    expect(text).not.toContain(typed);
    expect(text).not.toContain(email);
  });

  it("redaction is configuration: headers, passwords, tokens and e-mail addresses logged by mistake are censored", async () => {
    const apiKey = `tc_abcdefghijkl_${"k".repeat(43)}`;
    const { text, lines } = await captureLogs(async () => {
      logger.info({ headers: { authorization: `Bearer ${apiKey}`, cookie: "authjs.session-token=abc123session" }, password: "hunter2-known", user: { email: "person@example.test", newPassword: "n3w-known" } }, "careless");
      logger.error({ err: new Error(`connect failed for postgresql://app:db-pass-known@db:5432/x with ${apiKey}`) }, "boom");
    });
    for (const leaked of [apiKey, "k".repeat(43), "abc123session", "hunter2-known", "person@example.test", "n3w-known", "db-pass-known"]) expect(text).not.toContain(leaked);
    const careless = lines.find((l) => l.msg === "careless") as { headers: Record<string, string>; password: string };
    expect(careless.headers.authorization).toBe(REDACTED);
    expect(careless.password).toBe(REDACTED);
    expect(lines.find((l) => l.msg === "boom")!.err).toMatchObject({ type: "Error", message: expect.stringContaining("postgresql://[redacted]@db:5432/x") });
  });

  it("the error serializer keeps type, message, code and stack only", () => {
    const e = Object.assign(new Error("x"), { code: "E1", request: { headers: { authorization: "Bearer secret" } } });
    const s = serializeError(e);
    expect(Object.keys(s).sort()).toEqual(["code", "message", "stack", "type"]);
  });
});
