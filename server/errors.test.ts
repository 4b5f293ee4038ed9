// Stable error codes (server/isomorphic/errors.ts): every code the source throws is declared, TRPCError is made
// only in server/api/, the UI reads codes instead of message text, and a known failure reaches the
// browser over HTTP with its code in error.data.appCode (and tRPC's own code unchanged in data.code).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { handleTrpcRequest } from "./api/http";
import { APP_ERROR_CODES, appErrorCodeOf, isAppErrorCode } from "./isomorphic/errors";
import { callerFor, sessionFor, twoTenantWorld } from "./testing/fixtures";

const ROOT = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

const rel = (f: string) => path.relative(ROOT, f);
const SOURCES = ["server", "app", "components"].flatMap((d) => sourceFiles(path.join(ROOT, d)));

describe("error codes in the source", () => {
  it("every code an AppError is thrown with (directly or by a subclass) is declared", () => {
    const used = new Map<string, string>();
    for (const f of SOURCES) {
      const text = readFileSync(f, "utf8");
      const extendsAppError = /extends AppError\b/.test(text);
      for (const m of text.matchAll(/new AppError\(\s*"([A-Z_]+)"/g)) used.set(m[1]!, rel(f));
      if (extendsAppError) for (const m of text.matchAll(/super\(\s*"([A-Z_]+)"/g)) used.set(m[1]!, rel(f));
      // The second-factor gate picks one of two codes.
      if (extendsAppError) for (const m of text.matchAll(/\?\s*"([A-Z_]+)"\s*:\s*"([A-Z_]+)"/g)) (used.set(m[1]!, rel(f)), used.set(m[2]!, rel(f)));
    }
    expect(used.size).toBeGreaterThan(10);
    const undeclared = [...used].filter(([code]) => !isAppErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(undeclared).toEqual([]);
    for (const code of ["SECOND_FACTOR_REQUIRED", "SECOND_FACTOR_ENROLMENT_REQUIRED", "STEP_UP_REQUIRED", "TENANT_PAUSED", "RATE_LIMITED", "TENANT_BUSY", "POLICY_VERSION_CONFLICT"]) {
      expect(used.has(code), code).toBe(true);
    }
  });

  it("TRPCError is created only in server/api/", () => {
    const outside = SOURCES.filter((f) => !rel(f).startsWith("server/api/") && /new TRPCError\(/.test(readFileSync(f, "utf8"))).map(rel);
    expect(outside).toEqual([]);
  });

  it("the UI does not branch on error message text", () => {
    const ui = SOURCES.filter((f) => rel(f).startsWith("app/") || rel(f).startsWith("components/"));
    const branching = /(?<!typeof\s+[\w.?]+)\.message\s*(===|!==|==)\s*[A-Z"'`]|\.message\.(includes|startsWith|endsWith|match)\(|\.test\((e|err|error)\.message\)/;
    expect(ui.filter((f) => branching.test(readFileSync(f, "utf8"))).map(rel)).toEqual([]);
  });
});

describe("error codes over HTTP", () => {
  let w: Awaited<ReturnType<typeof twoTenantWorld>>;

  beforeAll(async () => {
    w = await twoTenantWorld();
  });

  async function post(userId: string, procedure: string, input: unknown) {
    const req = new Request(`http://localhost/api/trpc/${procedure}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    });
    const res = await handleTrpcRequest(req, async () => sessionFor(userId));
    const body = (await res.json()) as { error?: { json: { message: string; data: Record<string, unknown> } } };
    return { status: res.status, error: body.error?.json };
  }

  it("a taken workspace slug: CONFLICT with WORKSPACE_SLUG_TAKEN on the slug field", async () => {
    await callerFor(w.ownerA.id).workspaces.create({ tenant: w.a.slug, slug: "emea", name: "EMEA" });
    const { status, error } = await post(w.ownerA.id, "workspaces.create", { tenant: w.a.slug, slug: "emea", name: "EMEA again" });
    expect(status).toBe(409);
    expect(error?.data).toMatchObject({ code: "CONFLICT", appCode: "WORKSPACE_SLUG_TAKEN", field: "slug" });
    expect(appErrorCodeOf(error)).toBe("WORKSPACE_SLUG_TAKEN");
  });

  it("a policy save on a stale version: POLICY_VERSION_CONFLICT", async () => {
    const { status, error } = await post(w.ownerA.id, "policies.save", { tenant: w.a.slug, document: {}, expectedVersion: 41, comment: "stale" });
    expect(status).toBe(409);
    expect(error?.data).toMatchObject({ code: "CONFLICT", appCode: "POLICY_VERSION_CONFLICT" });
  });

  it("errors without a code of their own carry the generic one of their transport code", async () => {
    const foreign = await post(w.ownerA.id, "workspaces.create", { tenant: w.b.slug, slug: "apac", name: "APAC" });
    expect(foreign.error?.data).toMatchObject({ code: "NOT_FOUND", appCode: "NOT_FOUND" });
    const invalid = await post(w.ownerA.id, "workspaces.create", { tenant: w.a.slug, slug: "-", name: "x" });
    expect(invalid.error?.data).toMatchObject({ code: "BAD_REQUEST", appCode: "BAD_REQUEST" });
    expect(Object.keys(APP_ERROR_CODES)).toContain("NOT_FOUND");
  });
});
