// The HTTP admin API (README "HTTP admin API") through the real Next route handlers: the README's
// curl calls exactly as written (this test reads them from the README), tenant isolation (A's key
// on B's path = a missing tenant), 401 without or with a bad key (a session cookie is not enough),
// 400 with the zod message, 429 with Retry-After, and a valid OpenAPI 3.1 document.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as restGET, POST as restPOST } from "@/app/api/v1/[...path]/route";
import { GET as openApiGET } from "@/app/api/openapi.json/route";
import { GET as exportGET } from "@/app/api/t/[tenant]/exports/[exportId]/route";
import { runAuditExport } from "../audit/export/pipeline";
import { inTenant } from "../db/doors";
import { callerFor, twoTenantWorld } from "../testing/fixtures";
import { installStatementLog, recordCalls } from "../db/statement-log";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let keyA: string;
let keyB: string;
let clientId: string;
const ORIGIN = "http://console.test";
const SCOPES = ["clients.read", "clients.manage", "keys.read", "keys.manage", "audit.export", "policies.read"] as const;

beforeAll(async () => {
  w = await twoTenantWorld();
  keyA = (await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "automation", scopes: [...SCOPES], expiresInDays: 1 })).value;
  keyB = (await callerFor(w.ownerB.id).apiKeys.create({ tenant: w.b.slug, name: "automation", scopes: [...SCOPES], expiresInDays: 1 })).value;
  const created = await callerFor(w.ownerA.id).clients.create({ tenant: w.a.slug, name: "Billing", type: "web", redirectUris: [`https://billing-${w.a.slug}.example.com/cb`] });
  clientId = created.client.id;
});

interface Curl {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  output?: string;
}

/** The curl commands of the README's admin-API block (line continuations joined). */
function readmeCalls(): Curl[] {
  const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## HTTP admin API"));
  const block = /```bash\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block.replace(/\\\n\s*/g, "").split("\n").filter((l) => l.startsWith("curl "));
  return lines.map((line) => {
    const tokens = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
    const call: Curl = { method: "GET", url: "", headers: {} };
    for (let i = 1; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === "-X") call.method = tokens[++i]!;
      else if (t === "-H") {
        const [name, ...rest] = tokens[++i]!.split(":");
        call.headers[name!.trim().toLowerCase()] = rest.join(":").trim();
      } else if (t === "-d") {
        call.body = tokens[++i]!;
        if (call.method === "GET") call.method = "POST";
      } else if (t === "-o") call.output = tokens[++i]!;
      else call.url = t;
    }
    return call;
  });
}

function substitute(s: string, vars: Record<string, string>): string {
  return s.replace(/\$([A-Z]+)/g, (_, v: string) => {
    if (!(v in vars)) throw new Error(`README uses $${v}, which the test does not set`);
    return vars[v]!;
  });
}

/** Sends a call to the route handler its path belongs to (as Next would route it). */
async function send(call: Curl, vars: Record<string, string>): Promise<Response> {
  const url = substitute(call.url, vars);
  const headers = Object.fromEntries(Object.entries(call.headers).map(([k, v]) => [k, substitute(v, vars)]));
  const req = new Request(url, { method: call.method, headers, body: call.body });
  const download = /\/api\/t\/([^/]+)\/exports\/([^/?]+)/.exec(new URL(url).pathname);
  if (download) return exportGET(req, { params: Promise.resolve({ tenant: download[1]!, exportId: download[2]! }) });
  return call.method === "GET" ? restGET(req) : restPOST(req);
}

const rest = (method: "GET" | "POST", p: string, headers: Record<string, string>, body?: unknown) =>
  (method === "GET" ? restGET : restPOST)(
    new Request(`${ORIGIN}${p}`, { method, headers: body === undefined ? headers : { "content-type": "application/json", ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }),
  );

describe("the README's calls", () => {
  it("run as written: list, add a redirect URI, rotate, export + download, effective policy", async () => {
    const calls = readmeCalls();
    expect(calls.map((c) => `${c.method} ${new URL(substitute(c.url, { CREDO: ORIGIN, TENANT: "t", CLIENT: "c", EXPORT: "e" })).pathname}`)).toEqual([
      "GET /api/v1/t/t/clients",
      "POST /api/v1/t/t/clients/c/redirect-uris",
      "POST /api/v1/t/t/keys/next",
      "POST /api/v1/t/t/keys/promote",
      "POST /api/v1/t/t/audit/exports",
      "GET /api/v1/t/t/audit/exports",
      "GET /api/t/t/exports/e",
      "GET /api/v1/t/t/policies/effective",
    ]);
    const vars: Record<string, string> = { CREDO: ORIGIN, TENANT: w.a.slug, KEY: keyA };
    const [list, addUri, stage, promote, startExport, exportStatus, download, effective] = calls as [Curl, Curl, Curl, Curl, Curl, Curl, Curl, Curl];

    const listed = await send(list, vars);
    expect(listed.status, await listed.clone().text()).toBe(200);
    expect(listed.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
    const page = (await listed.json()) as { items: { id: string; name: string; createdAt: string }[]; nextCursor: string | null };
    expect(page.items.map((c) => c.name)).toEqual(["Billing"]);
    expect(page.items[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    vars.CLIENT = page.items[0]!.id;
    expect(vars.CLIENT).toBe(clientId);

    const added = await send(addUri, vars);
    expect(added.status, await added.clone().text()).toBe(200);
    expect(((await added.json()) as { redirectUris: string[] }).redirectUris).toEqual([`https://billing-${w.a.slug}.example.com/cb`, "https://app.example.com/callback"]);
    const stored = await inTenant(w.a.id, (s) => s.db.oAuthClient.findFirst({ where: { tenantId: w.a.id, id: clientId } }));
    expect(stored?.redirectUris).toContain("https://app.example.com/callback");

    const before = await keysOf(w.a.id);
    const staged = await send(stage, vars);
    expect(staged.status, await staged.clone().text()).toBe(200);
    const next = (await staged.json()) as { kid: string; state: string; alg: string };
    expect(next).toMatchObject({ state: "next", alg: "ES256" });
    const promoted = await send(promote, vars);
    expect(promoted.status, await promoted.clone().text()).toBe(200);
    expect(await promoted.json()).toMatchObject({ kid: next.kid, state: "current" });
    const after = await keysOf(w.a.id);
    expect(after.find((k) => k.state === "current")?.kid).toBe(next.kid);
    for (const k of before.filter((k) => k.state === "current")) expect(after.find((a) => a.kid === k.kid)?.state).toBe("previous");

    const started = await send(startExport, vars);
    expect(started.status, await started.clone().text()).toBe(200);
    const exp = (await started.json()) as { id: string; status: string; format: string };
    expect(exp).toMatchObject({ status: "queued", format: "jsonl" });
    vars.EXPORT = exp.id;
    expect((await runAuditExport(w.a.id, exp.id)).outcome).toBe("done");
    const status = await send(exportStatus, vars);
    expect(status.status).toBe(200);
    expect(((await status.json()) as { id: string; status: string; downloadable: boolean }[]).find((e) => e.id === exp.id)).toMatchObject({ status: "done", downloadable: true });
    const file = await send(download, vars);
    expect(file.status, await file.clone().text()).toBe(200);
    const events = gunzipSync(Buffer.from(await file.arrayBuffer())).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as { action: string; actor?: unknown });
    // The REST calls were audited like tRPC ones, with the key as the actor.
    expect(events.map((e) => e.action)).toContain("client.updated");
    expect(JSON.stringify(events.find((e) => e.action === "client.updated"))).toContain("api_key");

    const policy = await send(effective, vars);
    expect(policy.status, await policy.clone().text()).toBe(200);
    expect(await policy.json()).toMatchObject({ tenant: w.a.slug, workspace: null, problems: [] });
  });
});

async function keysOf(tenantId: typeof w.a.id) {
  return inTenant(tenantId, (s) => s.db.signingKey.findMany({ where: { tenantId }, select: { kid: true, state: true } }));
}

describe("isolation and authentication", () => {
  it("A's key on B's path answers exactly like a tenant that does not exist (404); nothing of B is touched", async () => {
    const auth = { authorization: `Bearer ${keyA}` };
    const foreign = await rest("GET", `/api/v1/t/${w.b.slug}/clients`, auth);
    const missing = await rest("GET", `/api/v1/t/no-such-tenant-${w.a.slug}/clients`, auth);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
    const bKeys = await keysOf(w.b.id);
    const write = await rest("POST", `/api/v1/t/${w.b.slug}/keys/next`, auth, { alg: "ES256" });
    expect(write.status).toBe(404);
    expect(await keysOf(w.b.id)).toEqual(bKeys);
    // B's own key works on B's path.
    expect((await rest("GET", `/api/v1/t/${w.b.slug}/clients`, { authorization: `Bearer ${keyB}` })).status).toBe(200);
  });

  it("a tenant in the body or a header never picks the tenant", async () => {
    const auth = { authorization: `Bearer ${keyA}` };
    const viaBody = await rest("POST", `/api/v1/t/${w.a.slug}/clients/${clientId}/redirect-uris`, auth, { tenant: w.b.slug, uri: `https://body-${w.a.slug}.example.com/cb` });
    expect(viaBody.status, await viaBody.clone().text()).toBe(200);
    expect(((await viaBody.json()) as { redirectUris: string[] }).redirectUris).toContain(`https://body-${w.a.slug}.example.com/cb`);
    expect((await rest("GET", `/api/v1/t/${w.a.slug}/clients`, { ...auth, "x-tenant-id": w.b.id })).status).toBe(400);
    expect((await rest("POST", `/api/v1/t/${w.a.slug}/clients/${clientId}/redirect-uris`, auth, { tenantId: w.b.id, uri: "https://x.example.com/cb" })).status).toBe(400);
  });

  it("no key → 401 (a session cookie is not accepted); a bad key → 401", async () => {
    const none = await rest("GET", `/api/v1/t/${w.a.slug}/clients`, { cookie: "authjs.session-token=whatever" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await none.json()) as { message: string }).message).toMatch(/API key/);
    for (const bad of ["Bearer tc_000000000000_nope", "Bearer ", "Basic Zm9vOmJhcg==", `Bearer ${keyA}x`]) {
      expect((await rest("GET", `/api/v1/t/${w.a.slug}/clients`, { authorization: bad })).status, bad).toBe(401);
    }
  });

  it("a scope the key lacks → 403", async () => {
    const { value } = await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name: "read only", scopes: ["clients.read"], expiresInDays: 1 });
    const res = await rest("POST", `/api/v1/t/${w.a.slug}/keys/next`, { authorization: `Bearer ${value}` }, { alg: "ES256" });
    expect(res.status).toBe(403);
  });
});

describe("read-only transactions", () => {
  /** The SQL of the transaction that read the request's tenant (an API-key request's first statement). */
  async function requestTransaction(send: () => Promise<Response>): Promise<{ status: number; opening: string }> {
    installStatementLog();
    const { result, calls } = await recordCalls(send);
    const opening = calls.find((c) => c.kind === "sql" && c.text.includes("; SELECT slug, name"));
    return { status: result.status, opening: opening?.text ?? "(none)" };
  }

  it("the GETs declared read-only run in a READ ONLY transaction (PostgreSQL refuses writes there); a change does not", async () => {
    const auth = { authorization: `Bearer ${keyA}` };
    for (const p of ["clients", `clients/${clientId}`, "keys", "policies/effective", "audit/exports"]) {
      const { status, opening } = await requestTransaction(() => rest("GET", `/api/v1/t/${w.a.slug}/${p}`, auth));
      expect(status, p).toBe(200);
      expect(opening, p).toMatch(/^BEGIN READ ONLY; SELECT set_config\('role', 'credo_app', true\), set_config\('app.tenant_id', '[0-9a-f-]{36}', true\)/);
    }
    const change = await requestTransaction(() => rest("POST", `/api/v1/t/${w.a.slug}/clients/${clientId}/redirect-uris`, auth, { uri: `https://ro-${w.a.slug}.example.com/cb` }));
    expect(change.status).toBe(200);
    expect(change.opening).toMatch(/^BEGIN; SELECT set_config/);
  });
});

describe("validation and limits", () => {
  it("bad input → 400 with the zod message", async () => {
    const auth = { authorization: `Bearer ${keyA}` };
    const badAlg = await rest("POST", `/api/v1/t/${w.a.slug}/keys/next`, auth, { alg: "HS256" });
    expect(badAlg.status).toBe(400);
    expect(((await badAlg.json()) as { message: string }).message).toBe("alg: Choose an algorithm: ES256, RS256 or EdDSA.");
    const badLimit = await rest("GET", `/api/v1/t/${w.a.slug}/clients?limit=100000`, auth);
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { message: string }).message).toMatch(/^limit: limit is at most \d+\.$/);
    const badClient = await rest("GET", `/api/v1/t/${w.a.slug}/clients/not-a-uuid`, auth);
    expect(((await badClient.json()) as { message: string }).message).toBe("clientRowId: Unknown client.");
    const notJson = await restPOST(new Request(`${ORIGIN}/api/v1/t/${w.a.slug}/keys/next`, { method: "POST", headers: { ...auth, "content-type": "text/plain" }, body: "alg=ES256" }));
    expect(notJson.status).toBe(415);
    const huge = await rest("POST", `/api/v1/t/${w.a.slug}/audit/exports`, auth, { format: "jsonl", text: "x".repeat(300 * 1024) });
    expect(huge.status).toBe(413);
  });

  it("rate limited → 429 with Retry-After, like tRPC", async () => {
    const owner = callerFor(w.ownerB.id);
    const state = await owner.policies.state({ tenant: w.b.slug });
    await owner.policies.save({
      tenant: w.b.slug,
      document: { ...state.overrides, rateLimits: { ...(state.overrides.rateLimits ?? {}), apiKey: { requestsPerWindow: 3, windowSeconds: 60, burst: 0 } } },
      expectedVersion: state.latest?.version ?? 0,
      comment: "REST 429 test",
    });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await rest("GET", `/api/v1/t/${w.b.slug}/keys`, { authorization: `Bearer ${keyB}` }));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(limited[0]!.headers.get("ratelimit-remaining")).toBe("0");
    expect(((await limited[0]!.json()) as { code: string }).code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document listing the admin paths", async () => {
    const res = await openApiGET(new Request(`${ORIGIN}/api/openapi.json`));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> };
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.servers[0]!.url).toBe("/api/v1");
    expect(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()).toEqual([
      "GET /t/{tenant}/audit/exports",
      "GET /t/{tenant}/clients",
      "GET /t/{tenant}/clients/{clientRowId}",
      "GET /t/{tenant}/keys",
      "GET /t/{tenant}/policies/effective",
      "POST /t/{tenant}/audit/exports",
      "POST /t/{tenant}/clients/{clientRowId}/redirect-uris",
      "POST /t/{tenant}/keys/next",
      "POST /t/{tenant}/keys/promote",
    ]);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.security).toBeTruthy();
    // Complete: every 200 answer has a schema with properties (from the procedures' .output()).
    const list = doc.paths["/t/{tenant}/clients"]!.get!.responses["200"] as { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
    expect(Object.keys(list.content["application/json"].schema.properties)).toEqual(expect.arrayContaining(["items", "nextCursor"]));
  });
});
