// Case "provision tenant": tenants created one after another through the real code path
// (provisionTenant → onPlatform transaction as credo_app → tenant row → enterTenant → audit event →
// the tenant's first signing key: generated, sealed under a fresh data key, kid claimed, stored,
// audited), against a raw-pg baseline doing the same work in one transaction: the same key
// generation and envelope encryption (server/signing-keys/), and the INSERTs it logically needs by hand.
import { provisionTenant } from "../../tenants/provisioning";
import { SYSTEM_ACTOR, type RequestMeta } from "../../audit/record";
import { RUNTIME_ROLE } from "../../db/doors";
import { generateSigningKey } from "../../signing-keys/jose";
import { DEFAULT_SIGNING_ALGORITHM } from "../../isomorphic/signing-keys/algorithms";
import { encryptPrivateKey, newDataKey } from "../../signing-keys/envelope";
import { IDENTIFIER_KINDS } from "../../tenancy/global-identifiers-repository";
import { measureInterleaved, type Iteration } from "../stats";
import { row, type BenchCase } from "../types";

const TITLE = "provision tenant";

/** What a tRPC request would hand to the service (the audit event stores it). */
function meta(i: number): RequestMeta {
  return { requestId: `bench-${i}`, ip: "127.0.0.1", userAgent: "credo-bench" };
}

export const provisioningCase: BenchCase = {
  name: "provisioning",
  title: TITLE,
  async run(ctx) {
    const { tenants: n, warmup } = ctx.sizes;
    const slug = (kind: string, warm: boolean, i: number) => `${ctx.runId}-${kind}${warm ? "w" : ""}-${i}`;

    const viaService = ({ i, warmup: warm }: Iteration) =>
      provisionTenant({ slug: slug("p", warm, i), name: `Bench tenant ${i}` }, SYSTEM_ACTOR, meta(i));

    // Baseline: what provisionTenant logically does, written by hand — BEGIN, switch to the runtime
    // role, create the tenant (credo_create_tenant), scope into it, INSERT audit event, generate the signing
    // key (same code), INSERT the data key (sealed under the KEK, same code), INSERT the kid's
    // global claim, INSERT the key (private JWK sealed under the data key), INSERT its audit event,
    // COMMIT. A pooled client per transaction, as the Prisma adapter does.
    const viaSql = async ({ i, warmup: warm }: Iteration) => {
      const client = await ctx.ownerPool.connect();
      try {
        await client.query("BEGIN");
        try {
          await client.query(
            "SELECT set_config('role', $1, true), set_config('app.tenant_id', '', true), set_config('app.user_id', '', true)",
            [RUNTIME_ROLE],
          );
          // credo_create_tenant: the runtime role's only way to insert a tenant (least privilege).
          const t = { slug: slug("r", warm, i), name: `Bench tenant ${i}`, id: "" };
          const { rows } = await client.query<{ id: string }>("SELECT credo_create_tenant($1, $2) AS id", [t.slug, t.name]);
          t.id = rows[0]!.id;
          await client.query("SELECT set_config('app.tenant_id', $1, true)", [t.id]);
          const m = meta(i);
          await client.query(
            `INSERT INTO "audit_events" ("tenant_id", "actor_type", "actor_id", "actor_label", "action", "target_type",
               "target_id", "after", "ip", "user_agent", "request_id")
             VALUES ($1, $2, $3, $4, 'tenant.created', 'tenant', $5, $6, $7, $8, $9) RETURNING "tenant_id", "id"`,
            [t.id, SYSTEM_ACTOR.type, SYSTEM_ACTOR.id, SYSTEM_ACTOR.label, t.id, JSON.stringify({ slug: t.slug, name: t.name }), m.ip, m.userAgent, m.requestId],
          );
          await insertFirstSigningKey(client, t.id, m);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      } finally {
        client.release();
      }
    };

    ctx.log(`provisioning ${n} tenants through provisionTenant() and ${n} through raw pg, interleaved (+${warmup} warmup each)`);
    const { service, sql } = await measureInterleaved({ service: viaService, sql: viaSql }, { n, warmup });

    // Sanity: every provisioned tenant has exactly its one tenant.created event and one current
    // signing key sealed under its own data key, whichever path made it.
    const { rows: check } = await ctx.ownerPool.query<{ kind: string; tenants: number; events: number; keys: number }>(
      `SELECT split_part(t.slug, '-', 2) AS kind, count(*)::int AS tenants,
              sum((SELECT count(*) FROM audit_events e WHERE e.tenant_id = t.id AND e.action = 'tenant.created'))::int AS events,
              sum((SELECT count(*) FROM signing_keys k JOIN tenant_data_keys d ON d.tenant_id = k.tenant_id AND d.id = k.data_key_id
                    WHERE k.tenant_id = t.id AND k.state = 'current'))::int AS keys
         FROM tenants t
        WHERE t.slug LIKE $1 AND split_part(t.slug, '-', 2) IN ('p', 'pw', 'r', 'rw')
        GROUP BY 1 ORDER BY 1`,
      [`${ctx.runId}-%`],
    );
    const expected: Record<string, number> = { p: n, pw: warmup, r: n, rw: warmup };
    const lines = check.map((c) => `${c.kind.padEnd(3)} tenants=${c.tenants} tenant.created events=${c.events} current signing keys=${c.keys}`);
    for (const c of check) {
      if (c.tenants !== expected[c.kind] || c.events !== c.tenants || c.keys !== c.tenants) {
        throw new Error(`provisioning sanity check failed: ${lines.join("; ")}`);
      }
    }
    ctx.detail("provision tenant: sanity check (p = provisionTenant, r = raw pg, w = warmup)", lines);

    return [
      row(TITLE, "provisionTenant()", service, {
        baseline: sql,
        note: "1 tx as credo_app: tenant, data key, signing key, 2 audit events (Prisma)",
      }),
      row(TITLE, "raw pg (baseline)", sql, {
        isBaseline: true,
        note: "same work by hand: 10 statements, same key generation and sealing",
      }),
    ];
  },
};

/** The tenant's first signing key as provisionInitialKey stores it, in raw SQL (tenant scope set). */
async function insertFirstSigningKey(client: { query: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }, tenantId: string, m: RequestMeta): Promise<void> {
  const generated = await generateSigningKey(DEFAULT_SIGNING_ALGORITHM);
  const fresh = newDataKey(tenantId);
  const { rows } = await client.query(
    `INSERT INTO "tenant_data_keys" ("tenant_id", "kek_id", "wrap_iv", "wrap_tag", "wrapped_key") VALUES ($1, $2, $3, $4, $5) RETURNING "id"`,
    [tenantId, fresh.wrapped.kekId, fresh.wrapped.iv, fresh.wrapped.tag, fresh.wrapped.ciphertext],
  );
  const dataKeyId = String(rows[0]!.id);
  let sealed;
  try {
    sealed = encryptPrivateKey(fresh.key, tenantId, generated.kid, generated.privateJwkBytes);
  } finally {
    fresh.key.fill(0);
    generated.privateJwkBytes.fill(0);
  }
  await client.query(`INSERT INTO "global_identifiers" ("kind", "value", "owner_tenant_id") VALUES ($1, $2, $3)`, [IDENTIFIER_KINDS.signingKeyKid, generated.kid, tenantId]);
  const now = new Date();
  const key = await client.query(
    `INSERT INTO "signing_keys" ("tenant_id", "kid", "alg", "state", "public_jwk", "private_key_iv", "private_key_tag", "private_key_ciphertext", "data_key_id", "created_at", "activated_at")
     VALUES ($1, $2, $3, 'current', $4, $5, $6, $7, $8, $9, $9) RETURNING "id"`,
    [tenantId, generated.kid, generated.alg, JSON.stringify(generated.publicJwk), sealed.iv, sealed.tag, sealed.ciphertext, dataKeyId, now],
  );
  await client.query(
    `INSERT INTO "audit_events" ("tenant_id", "actor_type", "actor_id", "actor_label", "action", "target_type",
       "target_id", "after", "ip", "user_agent", "request_id")
     VALUES ($1, $2, $3, $4, 'signing_key.created', 'signing_key', $5, $6, $7, $8, $9) RETURNING "tenant_id", "id"`,
    [tenantId, SYSTEM_ACTOR.type, SYSTEM_ACTOR.id, SYSTEM_ACTOR.label, String(key.rows[0]!.id), JSON.stringify({ kid: generated.kid, alg: generated.alg, state: "current" }), m.ip, m.userAgent, m.requestId],
  );
}
