// Tenant backup and restore on the real PostgreSQL: round trip, dry run with conflicts, all-or-nothing
// import, empty-target rule, private-key export rights and encryption, and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { calculateJwkThumbprint, compactDecrypt, exportJWK, generateKeyPair, type JWK } from "jose";
import { callerFor, grant, makeTenant, rejection, sessionFor, twoTenantWorld, uniq } from "../testing/fixtures";
import { superuserPool } from "../testing/signing-keys";
import { inTenant, onPlatform } from "../db/doors";
import { createSession } from "../auth/sessions";
import { readOperatorPolicy } from "../auth/operator-policy";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { loadCurrentSigningKey } from "../signing-keys/key-material";
import { BACKUP_FORMAT, type BackupDocument } from "./document";
import { handleTrpcRequest } from "../api/http";
import { BACKUP_BODY_LIMIT, TRPC_BODY_LIMIT } from "../http/body-limit";

let pool: pg.Pool;
let world: Awaited<ReturnType<typeof twoTenantWorld>>;

beforeAll(async () => {
  pool = superuserPool();
  world = await twoTenantWorld();
});
afterAll(async () => {
  await pool.end();
});

const host = () => `https://app-${randomUUID().slice(0, 8)}.example.com`;

/** A tenant with something of everything: workspaces, policy versions, clients, a staged key, members. */
async function populated() {
  const t = await makeTenant(uniq("src"));
  const admin = callerFor(world.admin.id);
  await grant(t, world.ownerA.id, "owner");
  await grant(t, world.supportA.id, "support", new Date(Date.now() + 5 * 86_400_000));
  await admin.workspaces.create({ tenant: t.slug, slug: "mobile", name: "Mobile apps" });
  await admin.workspaces.create({ tenant: t.slug, slug: "web", name: "Web" });
  await admin.policies.save({ tenant: t.slug, document: { password: { minLength: 14 } }, expectedVersion: 0, comment: "v1" });
  await admin.policies.save({ tenant: t.slug, document: { password: { minLength: 16 }, rateLimits: { trpc: { requestsPerWindow: 500, windowSeconds: 60, burst: 50 } } }, expectedVersion: 1, comment: "v2" });
  await admin.policies.save({ tenant: t.slug, workspace: "mobile", document: { password: { minLength: 18 } }, expectedVersion: 0, comment: "mobile v1" });
  const h = host();
  await admin.clients.create({ tenant: t.slug, name: "Web app", type: "web", redirectUris: [`${h}/cb`], postLogoutRedirectUris: [`${h}/bye`], allowedOrigins: [] });
  await admin.clients.create({ tenant: t.slug, name: "CLI", type: "native", redirectUris: ["http://127.0.0.1:8080/cb"], postLogoutRedirectUris: [], allowedOrigins: [] });
  await admin.clients.create({ tenant: t.slug, name: "SPA", type: "spa", redirectUris: [`${h}/spa`], postLogoutRedirectUris: [], allowedOrigins: [h] });
  await admin.keys.stage({ tenant: t.slug, alg: "ES256" });
  return t;
}

/** Frees a tenant's platform-wide identifiers, as if the backup were restored on another installation. */
async function asIfElsewhere(tenantId: string) {
  await pool.query(`DELETE FROM global_identifiers WHERE owner_tenant_id = $1`, [tenantId]);
}

/** The document without what legitimately differs: ids (none are exported), timestamps, JWE ciphertexts, the source name. */
function comparable(doc: BackupDocument, dropKids: string[] = []) {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>)
          .filter(([k]) => !/At$/.test(k) && k !== "privateKeyJwe")
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return strip({ ...doc, tenant: null, signingKeys: doc.signingKeys.filter((k) => !dropKids.includes(k.kid)) });
}

async function counts(tenantId: string) {
  const q = async (table: string) => Number((await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows[0].n);
  return {
    clients: await q("oauth_clients"),
    workspaces: await q("workspaces"),
    versions: await q("policy_versions"),
    keys: await q("signing_keys"),
    members: await q("memberships"),
    audit: await q("audit_events"),
    claims: Number((await pool.query(`SELECT count(*)::int AS n FROM global_identifiers WHERE owner_tenant_id = $1`, [tenantId])).rows[0].n),
  };
}

async function staleAdmin() {
  const row = await onPlatform(async (db) => createSession(db, { userId: world.admin.id, authMethod: "password", ip: null, userAgent: "vitest", secondFactorVerified: true }, await readOperatorPolicy(db)));
  await pool.query(`UPDATE operator_sessions SET last_verified_at = now() - interval '2 hours' WHERE id = $1`, [row.id]);
  return createCaller(createTRPCContext({ session: { user: { id: world.admin.id }, sid: row.id }, meta: { requestId: randomUUID(), ip: null, userAgent: "vitest" } }));
}

describe("tenant backup", () => {
  it("round trip: export (with private keys for this installation) → import into a fresh tenant → export is the same but for ids and timestamps", async () => {
    const src = await populated();
    const admin = callerFor(world.admin.id);
    const recipient = await admin.backup.recipientKey({ tenant: src.slug });
    const doc = await admin.backup.exportWithPrivateKeys({ tenant: src.slug, recipient });
    expect(doc.clients).toHaveLength(3);
    expect(doc.workspaces.map((w) => w.slug)).toEqual(["mobile", "web"]);
    expect(doc.policies.tenant.map((v) => v.version)).toEqual([1, 2]);
    expect(doc.signingKeys.filter((k) => k.privateKeyJwe)).toHaveLength(2);
    expect(JSON.stringify(doc)).not.toMatch(/secretHash|"d":/);
    const { kid: sourceKid } = (await inTenant(src.id, (s) => loadCurrentSigningKey(s)))!;

    await asIfElsewhere(src.id);
    const target = await makeTenant(uniq("dst"));
    const dry = await admin.backup.importDryRun({ tenant: target.slug, document: doc });
    expect(dry.conflicts).toEqual([]);
    expect(dry.creates.clients).toHaveLength(3);
    const before = await counts(target.id);
    const result = await admin.backup.import({ tenant: target.slug, document: doc });
    expect(result.ok).toBe(true);
    expect(result.creates.revokesOwnKeys).toHaveLength(1);

    const again = await admin.backup.exportWithPrivateKeys({ tenant: target.slug, recipient });
    expect(comparable(again, result.creates.revokesOwnKeys)).toEqual(comparable(doc));
    // The restored current key signs in the new tenant (re-encrypted under its data key).
    expect((await inTenant(target.id, (s) => loadCurrentSigningKey(s)))!.kid).toBe(sourceKid);
    // Audited in the same transaction, without secrets.
    const events = await pool.query(`SELECT action, after FROM audit_events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq`, [target.id, before.audit]);
    const imported = events.rows.find((r) => r.action === "backup.imported");
    expect(imported.after.clients).toHaveLength(3);
    expect(JSON.stringify(events.rows)).not.toMatch(/privateKeyJwe|"d":/);
  });

  it("dry run lists every conflict (client id, redirect URI, kid claimed by another tenant) and changes nothing; the import is refused and leaves nothing", async () => {
    const src = await populated();
    const admin = callerFor(world.admin.id);
    const doc = await admin.backup.export({ tenant: src.slug });
    const target = await makeTenant(uniq("dst"));
    const before = await counts(target.id);
    const dry = await admin.backup.importDryRun({ tenant: target.slug, document: doc });
    expect(dry.ok).toBe(false);
    const kinds = dry.conflicts.map((c) => c.kind);
    expect(kinds.filter((k) => k === "client_id")).toHaveLength(3);
    expect(kinds.filter((k) => k === "redirect_uri")).toHaveLength(2); // the loopback URI is never claimed
    expect(kinds.filter((k) => k === "kid")).toHaveLength(2);
    expect(await counts(target.id)).toEqual(before);

    // Only one conflict left (one client's id) still refuses everything.
    const fresh = { ...doc, signingKeys: [], clients: doc.clients.map((c, i) => (i === 0 ? c : { ...c, clientId: `c-${randomUUID()}`, redirectUris: c.type === "native" ? c.redirectUris : [`${host()}/cb`], allowedOrigins: c.allowedOrigins.length ? [host()] : [] })) };
    const r = await rejection(admin.backup.import({ tenant: target.slug, document: fresh }));
    expect(r.code).toBe("CONFLICT");
    expect(await counts(target.id)).toEqual(before);
  });

  it("refuses a non-empty target", async () => {
    const admin = callerFor(world.admin.id);
    const target = await makeTenant(uniq("dst"));
    await admin.workspaces.create({ tenant: target.slug, slug: "existing", name: "Existing" });
    const doc = await admin.backup.export({ tenant: target.slug });
    const dry = await admin.backup.importDryRun({ tenant: target.slug, document: { ...doc, workspaces: [], policies: { tenant: [], workspaces: [] }, signingKeys: [] } });
    expect(dry.conflicts).toEqual([expect.objectContaining({ kind: "target", subject: "workspace" })]);
    expect((await rejection(admin.backup.import({ tenant: target.slug, document: { ...doc, workspaces: [], policies: { tenant: [], workspaces: [] }, signingKeys: [] } }))).code).toBe("CONFLICT");
  });

  it("a signing key whose kid is not its public key's thumbprint is a conflict (a document cannot claim another key's kid)", async () => {
    const admin = callerFor(world.admin.id);
    const src = await makeTenant(uniq("src"));
    const doc = await admin.backup.export({ tenant: src.slug });
    await asIfElsewhere(src.id);
    const target = await makeTenant(uniq("dst"));
    const forged = { ...doc, signingKeys: doc.signingKeys.map((k) => ({ ...k, kid: "A".repeat(43) })) };
    const dry = await admin.backup.importDryRun({ tenant: target.slug, document: forged });
    expect(dry.conflicts).toEqual([expect.objectContaining({ kind: "document", subject: "A".repeat(43) })]);
    expect((await admin.backup.importDryRun({ tenant: target.slug, document: doc })).conflicts).toEqual([]);
  });

  it("private keys: refused for an owner, refused without step-up, and the JWE decrypts with the target key to the key the kid names", async () => {
    const src = await populated();
    const { publicKey, privateKey } = await generateKeyPair("ECDH-ES+A256KW", { crv: "P-256", extractable: true });
    const recipient = (await exportJWK(publicKey)) as { kty: "EC" };
    expect((await rejection(callerFor(world.ownerA.id).backup.exportWithPrivateKeys({ tenant: src.slug, recipient }))).code).toBe("FORBIDDEN");
    const stale = await rejection((await staleAdmin()).backup.exportWithPrivateKeys({ tenant: src.slug, recipient }));
    expect(stale).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/step-up/) });
    const withPrivate = { ...(await exportJWK(privateKey)), kty: "EC" as const };
    expect((await rejection(callerFor(world.admin.id).backup.exportWithPrivateKeys({ tenant: src.slug, recipient: withPrivate }))).code).toBe("BAD_REQUEST");

    const doc = await callerFor(world.admin.id).backup.exportWithPrivateKeys({ tenant: src.slug, recipient });
    const live = doc.signingKeys.filter((k) => k.privateKeyJwe);
    expect(live).toHaveLength(2);
    for (const k of live) {
      const { plaintext } = await compactDecrypt(k.privateKeyJwe!, privateKey);
      const jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
      expect(jwk.d).toBeTruthy();
      expect(await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv, x: jwk.x, y: jwk.y }, "sha256")).toBe(k.kid);
    }

    // Exported for someone else's key: this installation restores public metadata only (verifies, never signs).
    await asIfElsewhere(src.id);
    const target = await makeTenant(uniq("dst"));
    const ownKid = (await inTenant(target.id, (s) => loadCurrentSigningKey(s)))!.kid;
    const result = await callerFor(world.admin.id).backup.import({ tenant: target.slug, document: doc });
    expect(result.creates.signingKeys.every((k) => !k.privateKey && k.state === "previous")).toBe(true);
    expect(result.warnings.some((w) => /another installation/.test(w.message))).toBe(true);
    expect((await inTenant(target.id, (s) => loadCurrentSigningKey(s)))!.kid).toBe(ownKid);
  });

  it("owners may export and import but support may not; a stale session needs step-up for the import", async () => {
    const src = await populated();
    expect((await rejection(callerFor(world.supportA.id).backup.export({ tenant: src.slug }))).code).toBe("FORBIDDEN"); // support is read-only for the audit trail
    const target = await makeTenant(uniq("dst"));
    await grant(target, world.supportA.id, "support");
    const doc = await callerFor(world.ownerA.id).backup.export({ tenant: src.slug });
    expect((await rejection(callerFor(world.supportA.id).backup.importDryRun({ tenant: target.slug, document: doc }))).code).toBe("FORBIDDEN");
    expect((await rejection((await staleAdmin()).backup.import({ tenant: target.slug, document: doc }))).message).toMatch(/step-up/);
  });

  it("isolation: importing into B while A exists changes nothing in A, even with a document made from A", async () => {
    const a = await populated();
    const admin = callerFor(world.admin.id);
    const doc = await admin.backup.export({ tenant: a.slug });
    const aBefore = await counts(a.id);
    const claimsBefore = (await pool.query(`SELECT kind, value FROM global_identifiers WHERE owner_tenant_id = $1 ORDER BY kind, value`, [a.id])).rows;
    const b = await makeTenant(uniq("dst"));
    // Conflicting: refused, A untouched.
    await rejection(admin.backup.import({ tenant: b.slug, document: doc }));
    // Non-conflicting parts of A's document (its workspaces, policies, members) land in B only.
    const partial = { ...doc, clients: [], signingKeys: [] };
    const result = await admin.backup.import({ tenant: b.slug, document: partial });
    expect(result.ok).toBe(true);
    expect(await counts(a.id)).toEqual(aBefore);
    expect((await pool.query(`SELECT kind, value FROM global_identifiers WHERE owner_tenant_id = $1 ORDER BY kind, value`, [a.id])).rows).toEqual(claimsBefore);
    expect((await counts(b.id)).workspaces).toBe(2);
    // The document's tenant slug names A: it is informational only and never selects a tenant.
    expect(doc.tenant.slug).toBe(a.slug);
  });

  it("a realistic document of 1,000 clients goes through HTTP to the dry run (its own body limit), and only there", async () => {
    const target = await makeTenant(uniq("big"));
    const stamp = randomUUID().slice(0, 8);
    const clients = Array.from({ length: 1000 }, (_, i) => ({
      clientId: `big-${stamp}-${i}`,
      name: `Client ${i}`,
      type: "web" as const,
      enabled: true,
      grantTypes: ["authorization_code" as const, "refresh_token" as const],
      redirectUris: [`https://app${i}-${stamp}.example.com/callback`, `https://app${i}-${stamp}.example.com/oauth/second-callback`],
      postLogoutRedirectUris: [`https://app${i}-${stamp}.example.com/signed-out`],
      allowedOrigins: [],
      createdByLabel: "owner@example.test",
      createdAt: new Date().toISOString(),
    }));
    const document: BackupDocument = {
      format: BACKUP_FORMAT, exportedAt: new Date().toISOString(), tenant: { slug: "elsewhere", name: "Elsewhere" },
      members: [], workspaces: [], policies: { tenant: [], workspaces: [] }, clients, signingKeys: [], privateKeys: null,
    };
    const body = JSON.stringify({ json: { tenant: target.slug, document } });
    expect(body.length).toBeGreaterThan(TRPC_BODY_LIMIT);
    expect(body.length).toBeLessThan(BACKUP_BODY_LIMIT / 4);
    const post = (path: string) =>
      handleTrpcRequest(
        new Request(`http://console.test/api/trpc/${path}`, { method: "POST", headers: { host: "console.test", origin: "http://console.test", "content-type": "application/json" }, body }),
        () => sessionFor(world.admin.id),
      );
    const res = await post("backup.importDryRun");
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { result: { data: { json: { ok: boolean; creates: { clients: string[]; redirectUris: number } } } } };
    expect(plan.result.data.json.ok).toBe(true);
    expect(plan.result.data.json.creates.redirectUris).toBe(2000);
    expect((await post("tenant.overview")).status).toBe(413);
    expect((await post("backup.importDryRun,tenant.overview?batch=1")).status).toBe(413);
  });
});
