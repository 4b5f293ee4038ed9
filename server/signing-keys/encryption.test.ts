// Private signing keys at rest: envelope encryption (KEK → per-tenant data key → private key), each
// ciphertext bound to its tenant (and kid), production refusing the dev KEK, and KEK rotation.
// A superuser connection plays an attacker with write access to the database, copying ciphertext
// between rows.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { env, type Env } from "../env";
import { inTenant } from "../db/doors";
import { makeTenant } from "../testing/fixtures";
import { rewrapDataKey, tenantDataKey } from "./data-keys";
import {
  activeKeyring,
  devKekAllowed,
  KeyEncryptionConfigError,
  keyringFromEnv,
  keyringOf,
  KeyMaterialError,
  kekIdOf,
  replaceActiveKeyring,
  type Keyring,
} from "./envelope";
import { rewrapAllDataKeys } from "./kek-rotation";
import { signToken, stageNextKey } from "./service";
import { verifyTenantToken } from "./verify-token";
import { auditEvents, keysOf, rawDataKey, rawKeyRows, superuserPool, systemAuditor, thrown } from "../testing/signing-keys";
import { SYSTEM_ACTOR } from "../audit/record";
import type { TenantId } from "../tenancy/tenant-id";

let pool: pg.Pool;
beforeAll(() => {
  pool = superuserPool();
});
afterAll(async () => {
  await pool.end();
});

const sign = (tenantId: TenantId) => inTenant(tenantId, (s) => signToken(s, { aud: "api://enc", sub: "s" }));

/** The message must not carry anything derived from the stored bytes. */
function expectNoMaterialIn(message: string, ...buffers: Buffer[]) {
  for (const b of buffers) {
    for (const enc of ["base64", "base64url", "hex"] as const) expect(message).not.toContain(b.toString(enc));
    expect(message).not.toContain(b.subarray(0, 8).toString("hex"));
  }
}

describe("at rest", () => {
  it("stores the private key only as AES-GCM ciphertext; the public JWK column has no private members", async () => {
    const t = await makeTenant();
    await inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "RS256", modulusLength: 2048 }));
    const rows = await rawKeyRows(pool, t.id);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      const asText = r.private_key_ciphertext.toString("utf8");
      expect(asText).not.toContain('"d":');
      expect(asText).not.toContain('"kty"');
      // The plaintext JWK would contain the public coordinates/modulus; the ciphertext does not.
      const publicPart = String(r.public_jwk.x ?? r.public_jwk.n).slice(0, 16);
      expect(asText).not.toContain(publicPart);
      expect(r.private_key_iv).toHaveLength(12);
      expect(r.private_key_tag).toHaveLength(16);
      for (const m of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(r.public_jwk).not.toHaveProperty(m);
    }
    // Two keys, two random IVs.
    expect(rows[0]!.private_key_iv.equals(rows[1]!.private_key_iv)).toBe(false);
    const dk = await rawDataKey(pool, t.id);
    expect(dk.wrapped_key).toHaveLength(32);
    expect(dk.kek_id).toBe(activeKeyring().current.id);
  });

  it("the runtime role cannot rewrite key material, kid or public JWK (column grants)", async () => {
    const t = await makeTenant();
    const [key] = await keysOf(t.id);
    const attempts = [
      { privateKeyCiphertext: new Uint8Array(randomBytes(64)) },
      { kid: "x".repeat(43) },
      { publicJwk: { kty: "EC" } },
      { dataKeyId: "00000000-0000-4000-8000-000000000000" },
    ];
    for (const data of attempts) {
      await expect(
        inTenant(t.id, (s) => s.db.signingKey.updateMany({ where: { tenantId: s.tenantId, id: key!.id }, data })),
      ).rejects.toThrow(/permission denied/);
    }
    await expect(sign(t.id)).resolves.toMatch(/^ey/);
  });
});

describe("ciphertext is bound to its tenant and kid", () => {
  it("A's encrypted private key copied into B's current row does not sign for B (KeyMaterialError, no material in the message)", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const [rowA] = await rawKeyRows(pool, a.id);
    const [rowB] = await rawKeyRows(pool, b.id);
    await pool.query("UPDATE signing_keys SET private_key_iv = $1, private_key_tag = $2, private_key_ciphertext = $3 WHERE tenant_id = $4 AND id = $5", [
      rowA!.private_key_iv,
      rowA!.private_key_tag,
      rowA!.private_key_ciphertext,
      b.id,
      rowB!.id,
    ]);
    const e = await thrown(sign(b.id));
    expect(e).toBeInstanceOf(KeyMaterialError);
    expectNoMaterialIn((e as Error).message, rowA!.private_key_ciphertext, rowA!.private_key_tag, rowB!.private_key_ciphertext);
    expect(JSON.stringify(e)).not.toContain(rowA!.private_key_ciphertext.toString("base64"));
    // A is unaffected.
    await expect(sign(a.id)).resolves.toMatch(/^ey/);
  });

  it("A's whole chain copied into B (wrapped data key, encrypted private key, kid) still fails: the data key is bound to A", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const [rowA] = await rawKeyRows(pool, a.id);
    const [rowB] = await rawKeyRows(pool, b.id);
    const dkA = await rawDataKey(pool, a.id);
    const dkB = await rawDataKey(pool, b.id);
    await pool.query("UPDATE tenant_data_keys SET kek_id = $1, wrap_iv = $2, wrap_tag = $3, wrapped_key = $4 WHERE tenant_id = $5 AND id = $6", [
      dkA.kek_id,
      dkA.wrap_iv,
      dkA.wrap_tag,
      dkA.wrapped_key,
      b.id,
      dkB.id,
    ]);
    await pool.query(
      "UPDATE signing_keys SET kid = $1, public_jwk = $2, private_key_iv = $3, private_key_tag = $4, private_key_ciphertext = $5 WHERE tenant_id = $6 AND id = $7",
      [rowA!.kid, rowA!.public_jwk, rowA!.private_key_iv, rowA!.private_key_tag, rowA!.private_key_ciphertext, b.id, rowB!.id],
    );
    const e = await thrown(sign(b.id));
    expect(e).toBeInstanceOf(KeyMaterialError);
    expectNoMaterialIn((e as Error).message, dkA.wrapped_key, dkA.wrap_tag, rowA!.private_key_ciphertext);
    // Staging a new key for B needs B's data key too: refused the same way, nothing stored.
    expect(await thrown(inTenant(b.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" })))).toBeInstanceOf(KeyMaterialError);
    expect(await rawKeyRows(pool, b.id)).toHaveLength(1);
  });

  it("A's wrapped data key copied into B's row does not unwrap for B", async () => {
    const a = await makeTenant();
    const b = await makeTenant();
    const dkA = await rawDataKey(pool, a.id);
    const dkB = await rawDataKey(pool, b.id);
    await pool.query("UPDATE tenant_data_keys SET wrap_iv = $1, wrap_tag = $2, wrapped_key = $3 WHERE tenant_id = $4 AND id = $5", [
      dkA.wrap_iv,
      dkA.wrap_tag,
      dkA.wrapped_key,
      b.id,
      dkB.id,
    ]);
    // The unwrap itself fails (AAD = tenant id), not only the later decryption of B's private key.
    expect(await thrown(inTenant(b.id, (s) => tenantDataKey(s)))).toBeInstanceOf(KeyMaterialError);
    expect(await thrown(sign(b.id))).toBeInstanceOf(KeyMaterialError);
    await expect(inTenant(a.id, (s) => tenantDataKey(s))).resolves.toMatchObject({ id: dkA.id });
    await expect(sign(a.id)).resolves.toMatch(/^ey/);
  });

  it("within one tenant, a key's ciphertext moved to another kid's row fails (AAD names the kid)", async () => {
    const t = await makeTenant();
    await inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }));
    const rows = await rawKeyRows(pool, t.id);
    const current = rows.find((r) => r.state === "current")!;
    const next = rows.find((r) => r.state === "next")!;
    expect(current.data_key_id).toBe(next.data_key_id);
    await pool.query("UPDATE signing_keys SET private_key_iv = $1, private_key_tag = $2, private_key_ciphertext = $3 WHERE tenant_id = $4 AND id = $5", [
      next.private_key_iv,
      next.private_key_tag,
      next.private_key_ciphertext,
      t.id,
      current.id,
    ]);
    expect(await thrown(sign(t.id))).toBeInstanceOf(KeyMaterialError);
  });

  it("a flipped ciphertext bit fails authentication", async () => {
    const t = await makeTenant();
    const [row] = await rawKeyRows(pool, t.id);
    const flipped = Buffer.from(row!.private_key_ciphertext);
    flipped[5] = flipped[5]! ^ 0x01;
    await pool.query("UPDATE signing_keys SET private_key_ciphertext = $1 WHERE tenant_id = $2 AND id = $3", [flipped, t.id, row!.id]);
    expect(await thrown(sign(t.id))).toBeInstanceOf(KeyMaterialError);
  });
});

describe("the KEK from configuration", () => {
  const base: Env = { ...env, KEY_ENCRYPTION_KEY: undefined, KEY_ENCRYPTION_KEY_PREVIOUS: undefined, CREDO_EMBEDDED: "0" };
  const k = randomBytes(32).toString("base64");

  it("production without KEY_ENCRYPTION_KEY is refused with a message naming the variable", () => {
    const prod: Env = { ...base, NODE_ENV: "production" };
    expect(devKekAllowed(prod)).toBe(false);
    let e: unknown;
    try {
      keyringFromEnv(prod);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(KeyEncryptionConfigError);
    expect((e as Error).message).toMatch(/KEY_ENCRYPTION_KEY/);
  });

  it("production with a KEK uses it and accepts nothing else (no dev KEK); with a previous KEK both read", () => {
    const prod: Env = { ...base, NODE_ENV: "production", KEY_ENCRYPTION_KEY: k };
    const ring = keyringFromEnv(prod);
    expect(ring.current.id).toBe(kekIdOf(Buffer.from(k, "base64")));
    expect([...ring.known.keys()]).toEqual([ring.current.id]);
    const old = randomBytes(32).toString("base64");
    const rotating = keyringFromEnv({ ...prod, KEY_ENCRYPTION_KEY_PREVIOUS: old });
    expect(rotating.current.id).toBe(ring.current.id);
    expect(new Set(rotating.known.keys())).toEqual(new Set([ring.current.id, kekIdOf(Buffer.from(old, "base64"))]));
  });

  it("the dev KEK stands in outside production and on the embedded database only", () => {
    expect(devKekAllowed({ ...base, NODE_ENV: "development" })).toBe(true);
    expect(devKekAllowed({ ...base, NODE_ENV: "test" })).toBe(true);
    expect(devKekAllowed({ ...base, NODE_ENV: "production", CREDO_EMBEDDED: "1" })).toBe(true);
    const dev = keyringFromEnv({ ...base, NODE_ENV: "development" });
    // Locally a real KEK still reads data keys wrapped by the dev KEK (for keys:rewrap-kek).
    const devWithKek = keyringFromEnv({ ...base, NODE_ENV: "development", KEY_ENCRYPTION_KEY: k });
    expect(devWithKek.current.id).toBe(kekIdOf(Buffer.from(k, "base64")));
    expect(devWithKek.known.has(dev.current.id)).toBe(true);
  });

  it("a KEK of the wrong size is refused", () => {
    expect(() => keyringOf(randomBytes(16).toString("base64"))).toThrow(KeyEncryptionConfigError);
  });
});

describe("KEK rotation", () => {
  let saved: Keyring | null = null;
  afterEach(() => {
    if (saved) replaceActiveKeyring(saved);
    saved = null;
  });

  it("re-wraps a tenant's data key under the new KEK; signing keeps working, also once the old KEK is gone", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    const ring1 = keyringOf(k1);
    const ring21 = keyringOf(k2, k1);
    const ring2 = keyringOf(k2);

    saved = replaceActiveKeyring(ring1);
    const t = await makeTenant();
    const before = await rawDataKey(pool, t.id);
    expect(before.kek_id).toBe(ring1.current.id);
    const kidsBefore = (await keysOf(t.id)).map((k) => k.kid);
    const oldToken = await sign(t.id);

    // Deploy with KEY_ENCRYPTION_KEY=k2, KEY_ENCRYPTION_KEY_PREVIOUS=k1: reads still work before re-wrapping.
    replaceActiveKeyring(ring21);
    await expect(sign(t.id)).resolves.toMatch(/^ey/);

    const result = await rewrapAllDataKeys(ring21);
    // The sweep covers every tenant in the shared test database: only ours is asserted on.
    expect(result.failed.map((f) => f.tenant)).not.toContain(t.slug);
    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    const after = await rawDataKey(pool, t.id);
    expect(after.kek_id).toBe(ring2.current.id);
    expect(after.id).toBe(before.id);
    expect(after.wrapped_key.equals(before.wrapped_key)).toBe(false);
    expect(after.rotated_at).toBeInstanceOf(Date);
    const rewrapEvents = (await auditEvents(t.id)).filter((e) => e.action === "data_key.rewrapped");
    expect(rewrapEvents).toHaveLength(1);
    expect(rewrapEvents[0]!.before).toEqual({ kekId: ring1.current.id });
    expect(rewrapEvents[0]!.after).toEqual({ kekId: ring2.current.id });

    // Drop the old KEK: still signs with the same keys, and old tokens still verify.
    replaceActiveKeyring(ring2);
    const newToken = await sign(t.id);
    for (const token of [oldToken, newToken]) {
      await expect(verifyTenantToken({ tenantId: t.id, slug: t.slug }, token, { audience: "api://enc" })).resolves.toMatchObject({ sub: "s" });
    }
    expect((await keysOf(t.id)).map((k) => k.kid)).toEqual(kidsBefore);
    // New keys of that tenant go under the new KEK's data key too.
    await inTenant(t.id, (s) => stageNextKey(s, systemAuditor(s), SYSTEM_ACTOR, { alg: "ES256" }));

    // Running again changes nothing for this tenant.
    const again = await rewrapAllDataKeys(ring2);
    expect(again.failed.map((f) => f.tenant)).not.toContain(t.slug);
    const third = await rawDataKey(pool, t.id);
    expect(third.wrapped_key.equals(after.wrapped_key)).toBe(true);
    expect(third.rotated_at).toEqual(after.rotated_at);
    expect((await auditEvents(t.id)).filter((e) => e.action === "data_key.rewrapped")).toHaveLength(1);
    expect(await inTenant(t.id, (s) => rewrapDataKey(s, ring2))).toEqual({ outcome: "unchanged", kekId: ring2.current.id });
  });

  it("a data key under a KEK the keyring does not know is a configuration error naming that KEK", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    saved = replaceActiveKeyring(keyringOf(k1));
    const t = await makeTenant();
    replaceActiveKeyring(keyringOf(k2));
    const e = await thrown(sign(t.id));
    expect(e).toBeInstanceOf(KeyEncryptionConfigError);
    expect((e as Error).message).toContain(kekIdOf(Buffer.from(k1, "base64")));
    expect((e as Error).message).toMatch(/KEY_ENCRYPTION_KEY_PREVIOUS/);
    expect((e as Error).message).not.toContain(k1);
  });
});
