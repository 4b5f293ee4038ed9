// Case "authorize-check": POST /api/public/authorize-check {"client_id", "redirect_uri"}, on every
// login's path (the platform's authorization endpoint asks it before redirecting), through the route
// handler (app/api/public/authorize-check/route.ts → readJsonBody + zod → authorizeCheck in
// server/clients/authorize-check.ts: ONE platform transaction resolves client_id → tenant in
// global_identifiers, enters the tenant scope, reads the client and the tenant policy under RLS, then
// redirectUriMatches — exact string matching). Variants: a registered URI (allowed), a near miss
// (refused), an unknown client_id (refused, no tenant entered), a native client's loopback URI on a
// random port (allowed, RFC 8252 §7.3), the allowed path without the route (authorizeCheck()), and
// 16 requests in flight; against a raw-pg baseline: one SELECT global_identifiers ⋈ oauth_clients
// returning redirect_uris, then an exact includes().
import { randomBytes } from "node:crypto";
import pg from "pg";
import { POST } from "../../../app/api/public/authorize-check/route";
import { inTenant } from "../../db/doors";
import { env } from "../../env";
import { auditorFor, SYSTEM_ACTOR } from "../../audit/record";
import { authorizeCheck, type AuthorizeCheckResult } from "../../clients/authorize-check";
import { createClientInput } from "../../isomorphic/clients/inputs";
import { createClient } from "../../clients/service";
import { issuerFor } from "../../signing-keys/issuer";
import { IDENTIFIER_KINDS } from "../../tenancy/global-identifiers-repository";
import { benchMeta, keyedTenants, type BenchTenant } from "../population";
import { measureConcurrentInterleaved, measureInterleaved, seededRandom, type Iteration } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "authorize-check";
/** Requests in flight in the concurrent variant. */
const CONCURRENCY = 16;
const TITLE_CONCURRENT = `authorize-check, ${CONCURRENCY} in flight`;
/** Redirect URIs of each tenant's web client. */
const WEB_URIS = 5;
const NATIVE_URI = "http://127.0.0.1/callback";

// What authorizeCheck reads, in one statement: the registry entry of the client_id and the client's
// redirect URIs (the app path also reads the tenant's status, the client's type/enabled/grants and
// the tenant policy; the baseline is the bare minimum a redirect check needs).
const RAW_LOOKUP = `SELECT c.redirect_uris
  FROM global_identifiers g
  JOIN oauth_clients c ON c.tenant_id = g.owner_tenant_id AND c.client_id = g.value
  WHERE g.kind = $1 AND g.value = $2`;

const ENDPOINT = "http://localhost:3000/api/public/authorize-check";

interface BenchClients {
  readonly tenant: BenchTenant;
  readonly web: { clientId: string; uris: string[] };
  readonly native: { clientId: string };
  readonly m2m: { clientId: string };
}

const webUri = (slug: string, n: number) => `https://${slug}.app.example/cb/${n}`;

/** The route as Next calls it; the answer is read as a server would send it. */
async function postCheck(clientId: string, redirectUri: string): Promise<{ status: number; body: AuthorizeCheckResult }> {
  const req = new Request(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_id: clientId, redirect_uri: redirectUri }),
  });
  const res = await POST(req);
  return { status: res.status, body: (await res.json()) as AuthorizeCheckResult };
}

/** A well-formed client_id (32 base64url characters, as generateClientId makes) that no tenant holds (checked). */
function unknownClientId(): string {
  return randomBytes(24).toString("base64url");
}

export const authorizeCheckCase: BenchCase = {
  name: "authorize-check",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const tenants = await keyedTenants(ctx);
    const clients = await createClients(ctx, tenants);
    const unknown = clients.map(() => unknownClientId());

    // The same pseudo-random (tenant, URI, port) sequence for every path. Warmup indices run up to
    // the concurrent variant's warmup (at least CONCURRENCY), measured ones are offset by `warmup`.
    const rand = seededRandom(0xa7c4ec);
    const picks = Array.from({ length: Math.max(warmup, CONCURRENCY) + n }, () => ({
      tenant: Math.floor(rand() * clients.length),
      uri: Math.floor(rand() * WEB_URIS),
      port: 1024 + Math.floor(rand() * (65536 - 1024)),
    }));
    const at = ({ i, warmup: w }: Iteration) => picks[w ? i : warmup + i]!;
    // A near miss of a registered URI (trailing slash): exact matching refuses it.
    const refusedUri = (c: BenchClients, k: number) => `${c.web.uris[k]!}/`;
    const loopbackUri = (port: number) => `http://127.0.0.1:${port}/callback`;

    const expect = (allowed: boolean) => (r: { status: number; body: AuthorizeCheckResult }) => {
      if (r.status !== 200 || r.body.allowed !== allowed) {
        throw new Error(`authorize-check: expected 200 allowed=${allowed}, got ${r.status} ${JSON.stringify(r.body)}`);
      }
    };
    const allowed = (it: Iteration) => {
      const p = at(it);
      const c = clients[p.tenant]!;
      return postCheck(c.web.clientId, c.web.uris[p.uri]!).then(expect(true));
    };
    const direct = async (it: Iteration) => {
      const p = at(it);
      const c = clients[p.tenant]!;
      if (!(await authorizeCheck(c.web.clientId, c.web.uris[p.uri]!)).allowed) throw new Error("authorize-check: authorizeCheck() refused a registered URI");
    };
    const refused = (it: Iteration) => {
      const p = at(it);
      const c = clients[p.tenant]!;
      return postCheck(c.web.clientId, refusedUri(c, p.uri)).then(expect(false));
    };
    const unknownClient = (it: Iteration) => {
      const p = at(it);
      return postCheck(unknown[p.tenant]!, clients[p.tenant]!.web.uris[p.uri]!).then(expect(false));
    };
    const loopback = (it: Iteration) => {
      const p = at(it);
      return postCheck(clients[p.tenant]!.native.clientId, loopbackUri(p.port)).then(expect(true));
    };
    const sqlOn = (pool: pg.Pool) => async (it: Iteration) => {
      const p = at(it);
      const c = clients[p.tenant]!;
      const { rows } = await pool.query<{ redirect_uris: string[] }>(RAW_LOOKUP, [IDENTIFIER_KINDS.clientId, c.web.clientId]);
      if (!rows[0]?.redirect_uris.includes(c.web.uris[p.uri]!)) throw new Error("authorize-check: raw lookup did not find the registered URI");
    };

    await sanityCheck(ctx, clients, unknown);

    ctx.log(`authorize-check: ${n} requests per path over ${clients.length} tenants' clients, paths interleaved (+${warmup} warmup each)`);
    const seq = await measureInterleaved({ sql: sqlOn(ctx.ownerPool), allowed, refused, unknownClient, loopback, direct }, { n, warmup });

    // The app's pool is DATABASE_POOL_MAX connections; the concurrent baseline gets as many.
    const poolMax = env.DATABASE_POOL_MAX;
    const rawPool = new pg.Pool({ connectionString: env.DATABASE_URL, max: poolMax });
    let conc: Awaited<ReturnType<typeof measureConcurrentInterleaved<"sql" | "allowed" | "unknownClient">>>;
    try {
      ctx.log(`authorize-check: ${n} requests per path with ${CONCURRENCY} in flight (pools of ${poolMax}), 4 rounds`);
      conc = await measureConcurrentInterleaved(
        { sql: sqlOn(rawPool), allowed, unknownClient },
        { n, warmup: Math.max(warmup, CONCURRENCY), concurrency: CONCURRENCY, rounds: 4 },
      );
    } finally {
      await rawPool.end();
    }

    const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    ctx.detail("authorize-check: ratios", [
      `sequential p50: allowed / raw ${x(seq.allowed.p50, seq.sql.p50)}; refused / allowed ${x(seq.refused.p50, seq.allowed.p50)}; ` +
        `unknown client_id / allowed ${x(seq.unknownClient.p50, seq.allowed.p50)}; loopback / allowed ${x(seq.loopback.p50, seq.allowed.p50)}; ` +
        `route / authorizeCheck() ${x(seq.allowed.p50, seq.direct.p50)}`,
      `sequential p95: allowed ${seq.allowed.p95.toFixed(2)} ms, refused ${seq.refused.p95.toFixed(2)} ms, unknown client_id ${seq.unknownClient.p95.toFixed(2)} ms, ` +
        `loopback ${seq.loopback.p95.toFixed(2)} ms; unknown / allowed ${x(seq.unknownClient.p95, seq.allowed.p95)}`,
      `${CONCURRENCY} in flight, ops/s: allowed ${Math.round(conc.allowed.opsPerSec)} (${x(conc.allowed.opsPerSec, seq.allowed.opsPerSec)} sequential), ` +
        `unknown client_id ${Math.round(conc.unknownClient.opsPerSec)}, raw ${Math.round(conc.sql.opsPerSec)}; allowed / raw throughput ${x(conc.allowed.opsPerSec, conc.sql.opsPerSec)}`,
      `app path per known client: 1 transaction (onPlatform), 8 round trips: BEGIN, set_config ×3 (role, tenant, user; one SELECT), SELECT global_identifiers,`,
      `  SELECT tenants (Prisma sends the relation as a 2nd query), set_config(app.tenant_id), SELECT oauth_clients (RLS), SELECT tenant_policies (RLS), COMMIT;`,
      `  then the exact match in JS`,
      `unknown client_id: BEGIN, set_config, SELECT global_identifiers, ROLLBACK (TenantNotFoundError) — 4 round trips, no tenant entered;`,
      `  the answer body is the same as for a refused URI, but it is measurably faster (an existence oracle for client_ids by timing;`,
      `  client_ids are 192-bit random and public, so this tells only whether a leaked/observed id is live)`,
      `pools: app (Prisma adapter-pg) ${poolMax} connections = DATABASE_POOL_MAX; concurrent raw baseline ${poolMax}; sequential raw baseline: the bench's owner pool`,
    ]);

    return [
      row(TITLE, "POST route, registered URI (allowed)", seq.allowed, { baseline: seq.sql, note: "1 tx, 8 round trips: registry, tenant, client + policy (RLS)" }),
      row(TITLE, "POST route, unregistered URI (refused)", seq.refused, { baseline: seq.sql, note: `same path; ${x(seq.refused.p50, seq.allowed.p50)} allowed` }),
      row(TITLE, "POST route, unknown client_id (refused)", seq.unknownClient, { baseline: seq.sql, note: `1 tx, 4 round trips; ${x(seq.unknownClient.p50, seq.allowed.p50)} allowed` }),
      row(TITLE, "POST route, native loopback, random port", seq.loopback, { baseline: seq.sql, note: `allowed (RFC 8252 §7.3); ${x(seq.loopback.p50, seq.allowed.p50)} allowed` }),
      row(TITLE, "authorizeCheck(), registered URI", seq.direct, { baseline: seq.sql, note: `no Request/JSON/zod; route ${x(seq.allowed.p50, seq.direct.p50)} this` }),
      row(TITLE, "raw pg (baseline)", seq.sql, { isBaseline: true, note: "1 SELECT (registry ⋈ client) + includes()" }),
      row(TITLE_CONCURRENT, "POST route, allowed", conc.allowed, { baseline: conc.sql, note: `closed loop; ops/s ${x(conc.allowed.opsPerSec, conc.sql.opsPerSec)} raw` }),
      row(TITLE_CONCURRENT, "POST route, unknown client_id", conc.unknownClient, { baseline: conc.sql, note: `ops/s ${x(conc.unknownClient.opsPerSec, conc.sql.opsPerSec)} raw` }),
      row(TITLE_CONCURRENT, "raw pg (baseline)", conc.sql, { isBaseline: true, note: `own pool of ${poolMax} (= app pool)` }),
    ];
  },
};

/**
 * Per tenant, through createClient as the console does: a web client with WEB_URIS https redirect
 * URIs of the tenant's own (redirect URIs are claimed across tenants), a native client with the
 * loopback URI (exempt from the claim: every tenant may register it) and an m2m client (no redirects).
 */
async function createClients(ctx: BenchContext, tenants: readonly BenchTenant[]): Promise<BenchClients[]> {
  ctx.log(`creating ${3 * tenants.length} OAuth clients (web with ${WEB_URIS} URIs, native loopback, m2m per tenant) through createClient()`);
  const out: BenchClients[] = [];
  for (const [i, tenant] of tenants.entries()) {
    out.push(
      await inTenant(tenant.id, async (scope) => {
        const audit = auditorFor(scope, SYSTEM_ACTOR, benchMeta(`bench-client-${i}`));
        const uris = Array.from({ length: WEB_URIS }, (_, k) => webUri(tenant.slug, k));
        const web = await createClient(scope, audit, SYSTEM_ACTOR, createClientInput.parse({ name: "bench web", type: "web", redirectUris: uris }));
        const native = await createClient(scope, audit, SYSTEM_ACTOR, createClientInput.parse({ name: "bench native", type: "native", redirectUris: [NATIVE_URI] }));
        const m2m = await createClient(scope, audit, SYSTEM_ACTOR, createClientInput.parse({ name: "bench m2m", type: "m2m" }));
        return { tenant, web: { clientId: web.client.clientId, uris }, native: { clientId: native.client.clientId }, m2m: { clientId: m2m.client.clientId } };
      }),
    );
  }
  return out;
}

/** Every path must give the right answer for every tenant's clients before anything is timed. */
async function sanityCheck(ctx: BenchContext, clients: readonly BenchClients[], unknown: readonly string[]): Promise<void> {
  const { rows: taken } = await ctx.ownerPool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM global_identifiers WHERE kind = $1 AND value = ANY($2::text[])",
    [IDENTIFIER_KINDS.clientId, unknown],
  );
  if (taken[0]!.n !== 0) throw new Error("authorize-check sanity check failed: an 'unknown' client_id exists");

  let checks = 0;
  const check = async (what: string, clientId: string, uri: string, want: boolean, extra?: (b: AuthorizeCheckResult) => boolean) => {
    const r = await postCheck(clientId, uri);
    checks++;
    if (r.status !== 200 || r.body.allowed !== want || (extra && !extra(r.body))) {
      throw new Error(`authorize-check sanity check failed: ${what} (${uri}) gave ${r.status} ${JSON.stringify(r.body)}`);
    }
  };
  for (const [i, c] of clients.entries()) {
    const slug = c.tenant.slug;
    const other = clients[(i + 1) % clients.length]!;
    for (const [k, uri] of c.web.uris.entries()) {
      await check(`web URI ${k} of ${slug}`, c.web.clientId, uri, true, (b) => b.allowed && b.issuer === issuerFor(slug) && !b.pkce_required);
      await check(`near miss of web URI ${k} of ${slug}`, c.web.clientId, `${uri}/`, false);
    }
    await check(`unregistered URI of ${slug}`, c.web.clientId, webUri(slug, WEB_URIS), false);
    if (other !== c) await check(`another tenant's URI for ${slug}'s web client`, c.web.clientId, other.web.uris[0]!, false);
    await check(`unknown client_id with ${slug}'s URI`, unknown[i]!, c.web.uris[0]!, false);
    await check(`native loopback of ${slug}, no port`, c.native.clientId, NATIVE_URI, true, (b) => b.allowed && b.pkce_required);
    await check(`native loopback of ${slug}, port`, c.native.clientId, `http://127.0.0.1:${49152 + i}/callback`, true);
    await check(`native loopback of ${slug}, other path`, c.native.clientId, `http://127.0.0.1:${49152 + i}/callback2`, false);
    await check(`web client of ${slug} with a loopback URI`, c.web.clientId, `http://127.0.0.1:${49152 + i}/callback`, false);
    await check(`m2m client of ${slug}`, c.m2m.clientId, c.web.uris[0]!, false);

    const { rows } = await ctx.ownerPool.query<{ redirect_uris: string[] }>(RAW_LOOKUP, [IDENTIFIER_KINDS.clientId, c.web.clientId]);
    if (rows.length !== 1 || rows[0]!.redirect_uris.join("\n") !== c.web.uris.join("\n") || rows[0]!.redirect_uris.includes(`${c.web.uris[0]!}/`)) {
      throw new Error(`authorize-check sanity check failed: raw lookup of ${slug}'s web client gave ${JSON.stringify(rows)}`);
    }
    const { rows: none } = await ctx.ownerPool.query(RAW_LOOKUP, [IDENTIFIER_KINDS.clientId, unknown[i]!]);
    if (none.length !== 0) throw new Error(`authorize-check sanity check failed: raw lookup found the unknown client_id ${unknown[i]}`);
  }
  ctx.detail("authorize-check: sanity check", [
    `${clients.length} tenants × (web client with ${WEB_URIS} https URIs, native client with ${NATIVE_URI}, m2m client), created through createClient()`,
    `${checks} POSTs answered 200 as expected: each registered URI → allowed (tenant's issuer, pkce_required false); its trailing-slash near miss,`,
    `  an unregistered URI, another tenant's URI, an unknown client_id, a loopback URI on the web client, the m2m client → refused;`,
    `  native loopback with and without a port → allowed (pkce_required true), with another path → refused`,
    `raw lookup: each web client → exactly its ${WEB_URIS} URIs; unknown client_ids → no row`,
  ]);
}
