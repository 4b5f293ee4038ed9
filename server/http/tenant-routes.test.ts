// The route-level twin of the procedure coverage gate (server/api/procedure-manifest.test.ts): every
// route handler under app/api is either a tenant route — under app/api/t/, every exported method built
// by withTenantRoute (server/http/tenant-route.ts), so it passes the same tenant door as the
// procedures — or listed below as not a tenant route, with the reason. A new route must be classified.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const API_DIR = path.join(ROOT, "app/api");
const TENANT_PREFIX = "app/api/t/";
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Routes that are not tenant routes, and why they need no tenant door of their own. */
const NON_TENANT_ROUTES: Readonly<Record<string, string>> = {
  "app/api/auth/[...nextauth]/route.ts": "Auth.js sign-in and session endpoints: no tenant",
  "app/api/trpc/[trpc]/route.ts": "tRPC: every tenant procedure passes the same door through tenantProcedure (procedure coverage gate)",
  "app/api/v1/[...path]/route.ts": "REST admin API: each route is a tenant procedure called through the router (procedure coverage gate)",
  "app/api/openapi.json/route.ts": "the OpenAPI document: public, describes code only",
  "app/api/health/route.ts": "liveness: no tenant, no data",
  "app/api/ready/route.ts": "readiness: no tenant, no data",
  "app/api/metrics/route.ts": "Prometheus scrape: bearer METRICS_TOKEN, platform-wide counters",
  "app/api/public/platform-keys/route.ts": "the platform's public JWKS: public data, no tenant",
  "app/api/public/tenants/[tenant]/jwks/route.ts": "public tenant document: no principal, inPublicTenant + public rate limit",
  "app/api/public/tenants/[tenant]/openid-configuration/route.ts": "public tenant document: no principal, inPublicTenant + public rate limit",
  "app/api/public/authorize-check/route.ts": "public: the tenant comes from the OAuth client_id (inClientTenant), never from the caller",
};

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [path.relative(ROOT, full).split(path.sep).join("/")] : [];
  });
}

const routes = routeFiles(API_DIR).sort();
const tenantRoutes = routes.filter((r) => r.startsWith(TENANT_PREFIX));

describe("route coverage gate", () => {
  it("finds the route handlers, tenant routes among them", () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(tenantRoutes.length).toBeGreaterThan(0);
  });

  it("every route outside app/api/t/ is classified as not a tenant route, and nothing stale is listed", () => {
    expect(routes.filter((r) => !r.startsWith(TENANT_PREFIX) && !(r in NON_TENANT_ROUTES))).toEqual([]);
    expect(Object.keys(NON_TENANT_ROUTES).filter((r) => !routes.includes(r))).toEqual([]);
    expect(Object.keys(NON_TENANT_ROUTES).filter((r) => r.startsWith(TENANT_PREFIX))).toEqual([]);
  });

  it("every method of every route under app/api/t/ is built by withTenantRoute", async () => {
    const unguarded: string[] = [];
    for (const file of tenantRoutes) {
      const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
      const handlers = METHODS.filter((m) => m in mod);
      if (handlers.length === 0) unguarded.push(`${file}: no handler`);
      for (const m of handlers) {
        const door = (mod[m] as { tenantDoor?: { permission?: unknown } } | undefined)?.tenantDoor;
        if (typeof mod[m] !== "function" || typeof door?.permission !== "string") unguarded.push(`${file} ${m}`);
      }
    }
    expect(unguarded).toEqual([]);
  });
});
