// Case "API-key auth": what authenticating `Authorization: Bearer tc_…` adds to a request,
// authenticateApiKey (server/api-keys/authenticate.ts: parse → onPlatform transaction finds the key's
// tenant in global_identifiers → inTenant transaction reads the key under RLS, compares the secret
// hash, throttled last_used_at UPDATE) for valid keys spread over the run's tenants, against a raw-pg
// baseline doing the same lookup in one query plus the same parse and hash comparison. Also the
// rejected paths (wrong secret, revoked key, unknown key id) and a valid key whose last_used_at is written.
import { randomBytes } from "node:crypto";
import { inTenant } from "../../db/doors";
import { auditorFor, SYSTEM_ACTOR } from "../../audit/record";
import { permissionsOf, type TenantPermission } from "../../isomorphic/auth/permissions";
import { authenticateApiKey, LAST_USED_RESOLUTION_MS } from "../../api-keys/authenticate";
import { parseApiKey, secretMatches } from "../../api-keys/format";
import { createApiKey, revokeApiKey } from "../../api-keys/service";
import { IDENTIFIER_KINDS } from "../../tenancy/global-identifiers-repository";
import { benchMeta, keyedTenants, type BenchTenant } from "../population";
import { measureInterleaved, seededRandom, type Iteration } from "../stats";
import { row, type BenchCase, type BenchContext } from "../types";

const TITLE = "API-key auth";
const SCOPES: TenantPermission[] = ["keys.read", "audit.read"];

// What authenticateApiKey reads, in one statement: the registry entry of the public id, its tenant
// (slug, status) and the key row with its secret hash.
const RAW_LOOKUP = `SELECT t.id AS tenant_id, t.slug, t.status, k.id, k.public_id, k.name, k.scopes, k.secret_hash, k.expires_at, k.revoked_at, k.last_used_at
  FROM global_identifiers g
  JOIN tenants t ON t.id = g.owner_tenant_id
  JOIN api_keys k ON k.tenant_id = g.owner_tenant_id AND k.public_id = g.value
  WHERE g.kind = $1 AND g.value = $2`;

interface BenchKey {
  readonly tenant: BenchTenant;
  /** Full key value, `tc_<public id>_<secret>`. */
  readonly value: string;
  readonly id: string;
}

/** Same public id, another well-formed secret. */
function wrongSecret(value: string): string {
  const { publicId } = parseApiKey(value)!;
  return `tc_${publicId}_${randomBytes(32).toString("base64url")}`;
}

/** A well-formed key whose public id no tenant holds (a random id starting `zz` + a counter: no collision in practice; checked). */
function unknownKey(i: number): string {
  const id = `zz${i.toString(36).padStart(10, "0")}`.slice(0, 12);
  return `tc_${id}_${randomBytes(32).toString("base64url")}`;
}

export const apiKeyAuthCase: BenchCase = {
  name: "apikey-auth",
  title: TITLE,
  async run(ctx) {
    const { reads: n, warmup } = ctx.sizes;
    const tenants = await keyedTenants(ctx);
    // Three keys per tenant: `read` keys for the throttled and the wrong-secret paths, `write` keys for
    // the path that writes last_used_at (a separate set, so the throttled keys are never written by
    // it), `revoked` keys (created, then revoked through the service).
    const keys = await createKeys(ctx, tenants);

    const rand = seededRandom(0xa91c3e);
    const pickIdx = Array.from({ length: warmup + n }, () => Math.floor(rand() * tenants.length));
    const at = ({ i, warmup: w }: Iteration) => pickIdx[w ? i : warmup + i]!;
    const wrong = keys.read.map((k) => wrongSecret(k.value));
    const unknown = Array.from({ length: tenants.length }, (_, i) => unknownKey(i));

    const accept = (p: Awaited<ReturnType<typeof authenticateApiKey>>) => {
      if (!p) throw new Error("apikey-auth: a valid key was rejected");
    };
    const reject = (p: Awaited<ReturnType<typeof authenticateApiKey>>) => {
      if (p) throw new Error("apikey-auth: a bad key was accepted");
    };

    // The throttled path: the clock stands still at the moment the sanity check last used each read
    // key, so the conditional UPDATE always finds last_used_at fresh and matches no row (a busy key
    // between its once-a-minute writes), however long the loop runs. The real clock would make a key
    // written again whenever the loop outlasts LAST_USED_RESOLUTION_MS.
    const throttledNow = new Date();
    // The write path: a synthetic clock in the past, 61 s further per call, so every call finds the
    // key's last_used_at older than LAST_USED_RESOLUTION_MS and writes it (and nothing lands in the future).
    const writeCalls = warmup + n;
    const clockBase = Date.now() - (writeCalls + 1) * (LAST_USED_RESOLUTION_MS + 1000);
    let writeCall = 0;
    const writeNow = () => new Date(clockBase + ++writeCall * (LAST_USED_RESOLUTION_MS + 1000));

    const paths = {
      sql: async (it: Iteration) => {
        const parsed = parseApiKey(keys.read[at(it)]!.value);
        if (!parsed) throw new Error("apikey-auth: unparsable key");
        const { rows } = await ctx.ownerPool.query<{ secret_hash: Buffer }>(RAW_LOOKUP, [IDENTIFIER_KINDS.apiKeyId, parsed.publicId]);
        if (!rows[0] || !secretMatches(parsed.secret, rows[0].secret_hash)) throw new Error("apikey-auth: raw lookup failed");
      },
      valid: (it: Iteration) => authenticateApiKey(`Bearer ${keys.read[at(it)]!.value}`, throttledNow).then(accept),
      wrongSecret: (it: Iteration) => authenticateApiKey(`Bearer ${wrong[at(it)]!}`).then(reject),
      revoked: (it: Iteration) => authenticateApiKey(`Bearer ${keys.revoked[at(it)]!.value}`).then(reject),
      unknownId: (it: Iteration) => authenticateApiKey(`Bearer ${unknown[at(it)]!}`).then(reject),
      write: (it: Iteration) => authenticateApiKey(`Bearer ${keys.write[at(it)]!.value}`, writeNow()).then(accept),
    };

    // Uses every read key once at throttledNow: its last_used_at is set, so the throttled path runs
    // the conditional UPDATE but matches no row.
    await sanityCheck(ctx, keys, wrong, unknown, throttledNow);
    const loopStart = Date.now();

    ctx.log(`API-key auth: ${n} calls per path over ${tenants.length} tenants' keys, paths interleaved (+${warmup} warmup each)`);
    const r = await measureInterleaved(paths, { n, warmup });
    const loopMs = Date.now() - loopStart;

    const { rows: written } = await ctx.ownerPool.query<{ read_written: number; write_used: number; write_max: Date | null }>(
      `SELECT count(*) FILTER (WHERE id = ANY($1::uuid[]) AND last_used_at IS DISTINCT FROM $3)::int AS read_written,
              count(*) FILTER (WHERE id = ANY($2::uuid[]) AND last_used_at IS NOT NULL)::int AS write_used,
              max(last_used_at) FILTER (WHERE id = ANY($2::uuid[])) AS write_max
         FROM api_keys WHERE id = ANY($1::uuid[] || $2::uuid[])`,
      [keys.read.map((k) => k.id), keys.write.map((k) => k.id), throttledNow],
    );
    const w = written[0]!;
    const distinctWriteKeys = new Set(pickIdx).size;
    const lastWrite = clockBase + writeCall * (LAST_USED_RESOLUTION_MS + 1000);
    if (w.read_written !== 0) throw new Error(`apikey-auth: the throttled path wrote last_used_at of ${w.read_written} keys`);
    if (w.write_used !== distinctWriteKeys || w.write_max?.getTime() !== lastWrite) {
      throw new Error(`apikey-auth: the write path did not write last_used_at (${w.write_used} of ${distinctWriteKeys} keys, last ${w.write_max?.toISOString()})`);
    }

    const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    ctx.detail("API-key auth: ratios and last_used_at", [
      `p50: valid / raw ${x(r.valid.p50, r.sql.p50)}; wrong secret / valid ${x(r.wrongSecret.p50, r.valid.p50)}; ` +
        `revoked / wrong secret ${x(r.revoked.p50, r.wrongSecret.p50)}; unknown id / valid ${x(r.unknownId.p50, r.valid.p50)}; valid + write / valid ${x(r.write.p50, r.valid.p50)}`,
      `p95: valid ${r.valid.p95.toFixed(2)} ms, wrong secret ${r.wrongSecret.p95.toFixed(2)} ms, revoked ${r.revoked.p95.toFixed(2)} ms, ` +
        `unknown id ${r.unknownId.p95.toFixed(2)} ms, write ${r.write.p95.toFixed(2)} ms`,
      `keys: ${keys.read.length} read + ${keys.write.length} write + ${keys.revoked.length} revoked keys, one of each per tenant; every call picks a random tenant's key`,
      `valid / wrong secret / revoked: 2 transactions (onPlatform: global_identifiers → tenant; inTenant: key row under RLS);`,
      `  only the valid path then sends the conditional last_used_at UPDATE (one more round trip: what a rejection saves; it`,
      `  tells nothing the 200 doesn't). It is throttled to once per ${LAST_USED_RESOLUTION_MS / 1000} s per key; the "valid key" row passes a clock`,
      `  fixed at the keys' last use, so the UPDATE is sent on every call and matched 0 rows in the ${(loopMs / 1000).toFixed(1)} s loop (checked)`,
      `valid + write: a synthetic clock 61 s apart per call, so each call writes last_used_at (a key's first use in a minute)`,
      `unknown id: the same 2 transactions (the key lookup runs in a tenant that does not exist) and the same hash comparison`,
      `  against a stand-in, so it costs what a wrong secret costs: compare "unknown id" with "wrong secret" (issue 12)`,
    ]);

    return [
      row(TITLE, "authenticateApiKey, valid key", r.valid, { baseline: r.sql, note: "incl. throttled last_used_at UPDATE (0 rows)" }),
      row(TITLE, "authenticateApiKey, wrong secret", r.wrongSecret, { baseline: r.sql, note: `rejected; ${x(r.wrongSecret.p50, r.valid.p50)} valid (no UPDATE)` }),
      row(TITLE, "authenticateApiKey, revoked key", r.revoked, { baseline: r.sql, note: `rejected; ${x(r.revoked.p50, r.wrongSecret.p50)} wrong secret` }),
      row(TITLE, "authenticateApiKey, unknown key id", r.unknownId, { baseline: r.sql, note: `rejected, 2 tx; ${x(r.unknownId.p50, r.wrongSecret.p50)} wrong secret` }),
      row(TITLE, "authenticateApiKey, valid + last_used_at write", r.write, { baseline: r.sql, note: "1st use of a key in a minute" }),
      row(TITLE, "raw pg (baseline)", r.sql, { isBaseline: true, note: "1 SELECT (registry ⋈ tenant ⋈ key) + hash compare" }),
    ];
  },
};

/** A read, a write and a (then revoked) key per tenant, created through the services as the console does. */
async function createKeys(ctx: BenchContext, tenants: readonly BenchTenant[]): Promise<Record<"read" | "write" | "revoked", BenchKey[]>> {
  ctx.log(`creating ${3 * tenants.length} API keys (3 per tenant, 1 then revoked) through createApiKey()`);
  const owner = permissionsOf("owner");
  const keys: Record<"read" | "write" | "revoked", BenchKey[]> = { read: [], write: [], revoked: [] };
  for (const [i, tenant] of tenants.entries()) {
    await inTenant(tenant.id, async (scope) => {
      const audit = auditorFor(scope, SYSTEM_ACTOR, benchMeta(`bench-apikey-${i}`));
      for (const kind of ["read", "write", "revoked"] as const) {
        const created = await createApiKey(scope, audit, SYSTEM_ACTOR, owner, { name: `bench ${kind}`, scopes: SCOPES, expiresInDays: 30 });
        if (kind === "revoked") await revokeApiKey(scope, audit, SYSTEM_ACTOR, created.key.id);
        keys[kind].push({ tenant, value: created.value, id: created.key.id });
      }
    });
  }
  return keys;
}

/** Each path must give the right answer for every key before it is timed. */
async function sanityCheck(ctx: BenchContext, keys: { read: BenchKey[]; revoked: BenchKey[] }, wrong: string[], unknown: string[], now: Date): Promise<void> {
  for (const [i, k] of keys.read.entries()) {
    const p = await authenticateApiKey(`Bearer ${k.value}`, now);
    if (!p || p.tenantId !== k.tenant.id || p.tenantSlug !== k.tenant.slug || p.keyId !== k.id || p.scopes.length !== SCOPES.length) {
      throw new Error(`apikey-auth sanity check failed: key ${i} of ${k.tenant.slug} gave ${JSON.stringify(p)}`);
    }
    const { rows } = await ctx.ownerPool.query<{ tenant_id: string; id: string }>(RAW_LOOKUP, [IDENTIFIER_KINDS.apiKeyId, parseApiKey(k.value)!.publicId]);
    if (rows.length !== 1 || rows[0]!.tenant_id !== k.tenant.id || rows[0]!.id !== k.id) {
      throw new Error(`apikey-auth sanity check failed: raw lookup of key ${i} gave ${rows.length} rows`);
    }
    for (const [what, value] of [["wrong secret", wrong[i]!], ["unknown id", unknown[i]!], ["revoked", keys.revoked[i]!.value]]) {
      if (await authenticateApiKey(`Bearer ${value}`)) throw new Error(`apikey-auth sanity check failed: a ${what} key (${i}) was accepted`);
    }
  }
  ctx.detail("API-key auth: sanity check", [
    `${keys.read.length} keys: valid → its own tenant and key id, raw lookup → same row; wrong secret, revoked and unknown id → null`,
  ]);
}
