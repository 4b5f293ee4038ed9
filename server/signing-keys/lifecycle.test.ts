// The signing-key lifecycle through the tRPC router, as a tenant owner: stage → promote → revoke,
// emergency rotate-and-revoke, input validation, permissions from the RBAC matrix, the audit trail
// (kid, alg and state only) and the database's forward-only rule.
import { beforeAll, describe, expect, it } from "vitest";
import { can } from "../isomorphic/auth/permissions";
import { inTenant } from "../db/doors";
import { callerFor, grant, makeTenant, twoTenantWorld } from "../testing/fixtures";
import { issuerFor } from "./issuer";
import { signToken } from "./service";
import { tenantJwks } from "./public-documents";
import { TokenRejectedError, verifyTenantToken } from "./verify-token";
import {
  auditEvents,
  inState,
  jsonKeys,
  keysOf,
  lastAuditId,
  PRIVATE_JWK_MEMBERS,
  rawKeyRows,
  rejection,
  superuserPool,
  thrown,
  VIEW_FIELDS,
} from "../testing/signing-keys";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});

const jwksKids = async (slug: string) => (await tenantJwks(slug)).keys.map((k) => k.kid).sort();

/** A tenant of its own with ownerA as owner, so each test starts from a freshly provisioned key set. */
async function freshTenant() {
  const t = await makeTenant();
  await grant(t, w.ownerA.id, "owner");
  return t;
}

describe("a new tenant", () => {
  it("has exactly one key: current, ES256, published", async () => {
    const list = await callerFor(w.ownerA.id).keys.list({ tenant: w.a.slug });
    expect(list.issuer).toBe(issuerFor(w.a.slug));
    expect(list.jwksUri).toBe(`${issuerFor(w.a.slug)}/.well-known/jwks.json`);
    expect(list.keys).toHaveLength(1);
    const [key] = list.keys;
    expect(key).toMatchObject({ state: "current", alg: "ES256", retiredAt: null, revokedAt: null, autoPromoteAt: null });
    expect(key!.activatedAt).toBeInstanceOf(Date);
    expect(Object.keys(key!).sort()).toEqual(VIEW_FIELDS);
    expect(await jwksKids(w.a.slug)).toEqual([key!.kid]);
  });
});

describe("stage, promote, revoke", () => {
  it("walks a key through next → current → previous → revoked with dates, JWKS and audit events", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const [first] = await keysOf(t.id);

    // Stage: a next key appears, published but not signing.
    let mark = await lastAuditId(t.id);
    const staged = await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    expect(staged).toMatchObject({ state: "next", alg: "ES256", activatedAt: null });
    expect(staged.autoPromoteAt).toBeInstanceOf(Date);
    expect(Object.keys(staged).sort()).toEqual(VIEW_FIELDS);
    expect(await jwksKids(t.slug)).toEqual([first!.kid, staged.kid].sort());
    let events = await auditEvents(t.id, mark);
    expect(events.map((e) => e.action)).toEqual(["signing_key.staged"]);
    expect(events[0]).toMatchObject({ actorType: "user", actorId: w.ownerA.id, targetId: staged.id, after: { kid: staged.kid, alg: "ES256", state: "next" } });

    // Staging again while a next key exists: CONFLICT naming the staged key, nothing written.
    mark = await lastAuditId(t.id);
    const again = await rejection(owner.keys.stage({ tenant: t.slug, alg: "ES256" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toContain(staged.kid);
    expect(again.message).toMatch(/already staged/);
    expect(await keysOf(t.id)).toHaveLength(2);
    expect(await auditEvents(t.id, mark)).toEqual([]);

    // Promote: next → current, current → previous (still published).
    mark = await lastAuditId(t.id);
    const promoted = await owner.keys.promote({ tenant: t.slug });
    expect(promoted).toMatchObject({ id: staged.id, state: "current", autoPromoteAt: null });
    expect(promoted.activatedAt).toBeInstanceOf(Date);
    let keys = await keysOf(t.id);
    expect(inState(keys, "current").map((k) => k.id)).toEqual([staged.id]);
    const previous = inState(keys, "previous");
    expect(previous.map((k) => k.id)).toEqual([first!.id]);
    expect(previous[0]!.retiredAt).toBeInstanceOf(Date);
    expect(previous[0]!.activatedAt).toEqual(first!.activatedAt);
    expect(previous[0]!.revokedAt).toBeNull();
    expect(await jwksKids(t.slug)).toEqual([first!.kid, staged.kid].sort());
    events = await auditEvents(t.id, mark);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([
      ["signing_key.retired", first!.id],
      ["signing_key.promoted", staged.id],
    ]);
    expect(events[0]!.after).toEqual({ kid: first!.kid, alg: "ES256", state: "previous" });
    expect(events[1]!.after).toEqual({ kid: staged.kid, alg: "ES256", state: "current" });

    // Promote without a next key.
    mark = await lastAuditId(t.id);
    const nothing = await rejection(owner.keys.promote({ tenant: t.slug }));
    expect(nothing.code).toBe("PRECONDITION_FAILED");
    expect(nothing.message).toMatch(/no staged next key/);
    expect(await auditEvents(t.id, mark)).toEqual([]);

    // Revoke the previous key: revoked, dated, gone from the JWKS.
    mark = await lastAuditId(t.id);
    const revoked = await owner.keys.revoke({ tenant: t.slug, keyId: first!.id });
    expect(revoked).toMatchObject({ id: first!.id, state: "revoked" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await jwksKids(t.slug)).toEqual([staged.kid]);
    events = await auditEvents(t.id, mark);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([["signing_key.revoked", first!.id]]);
    expect(events[0]!.before).toEqual({ kid: first!.kid, alg: "ES256", state: "previous" });
    expect(events[0]!.after).toEqual({ kid: first!.kid, alg: "ES256", state: "revoked" });

    // Revoked is final.
    mark = await lastAuditId(t.id);
    const twice = await rejection(owner.keys.revoke({ tenant: t.slug, keyId: first!.id }));
    expect(twice.code).toBe("CONFLICT");
    expect(twice.message).toMatch(/already revoked/);

    // The current key and a next key cannot be revoked.
    const current = await rejection(owner.keys.revoke({ tenant: t.slug, keyId: staged.id }));
    expect(current.code).toBe("PRECONDITION_FAILED");
    expect(current.message).toMatch(/current key/);
    const next = await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    mark = await lastAuditId(t.id);
    const staging = await rejection(owner.keys.revoke({ tenant: t.slug, keyId: next.id }));
    expect(staging.code).toBe("PRECONDITION_FAILED");
    expect(staging.message).toMatch(/next key cannot be revoked/);
    expect(await auditEvents(t.id, mark)).toEqual([]);
    keys = await keysOf(t.id);
    expect(keys.map((k) => [k.id, k.state])).toEqual([
      [staged.id, "current"],
      [next.id, "next"],
      [first!.id, "revoked"],
    ]);
  });

  it("revoke: unknown key → NOT_FOUND, malformed id → BAD_REQUEST", async () => {
    const owner = callerFor(w.ownerA.id);
    expect((await rejection(owner.keys.revoke({ tenant: w.a.slug, keyId: "00000000-0000-4000-8000-000000000000" }))).code).toBe("NOT_FOUND");
    expect((await rejection(owner.keys.revoke({ tenant: w.a.slug, keyId: "not-a-uuid" }))).code).toBe("BAD_REQUEST");
  });
});

describe("rotate and revoke (emergency)", () => {
  it("makes a new key current at once, revokes the old one, and the old key's tokens stop verifying", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const [old] = await keysOf(t.id);
    const next = await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    const token = await inTenant(t.id, (s) => signToken(s, { aud: "api://rotate", sub: "u1" }));
    await expect(verifyTenantToken({ tenantId: t.id, slug: t.slug }, token, { audience: "api://rotate" })).resolves.toMatchObject({ sub: "u1" });

    const mark = await lastAuditId(t.id);
    const fresh = await owner.keys.rotateAndRevoke({ tenant: t.slug });
    expect(fresh).toMatchObject({ state: "current", alg: "ES256" });
    expect(fresh.kid).not.toBe(old!.kid);

    const keys = await keysOf(t.id);
    expect(inState(keys, "current").map((k) => k.id)).toEqual([fresh.id]);
    const revoked = keys.find((k) => k.id === old!.id)!;
    expect(revoked.state).toBe("revoked");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(revoked.retiredAt).toBeInstanceOf(Date);
    // A staged next key is left alone.
    expect(keys.find((k) => k.id === next.id)!.state).toBe("next");
    expect(await jwksKids(t.slug)).toEqual([fresh.kid, next.kid].sort());

    const events = await auditEvents(t.id, mark);
    expect(events.map((e) => [e.action, e.targetId])).toEqual([["signing_key.rotated_and_revoked", fresh.id]]);
    expect(events[0]!.before).toEqual({ kid: old!.kid, alg: "ES256", state: "current" });
    expect(events[0]!.after).toEqual({ kid: fresh.kid, alg: "ES256", state: "current" });

    const e = await thrown(verifyTenantToken({ tenantId: t.id, slug: t.slug }, token, { audience: "api://rotate" }));
    expect(e).toBeInstanceOf(TokenRejectedError);
    // New tokens are signed by the new key.
    const after = await inTenant(t.id, (s) => signToken(s, { aud: "api://rotate" }));
    expect(JSON.parse(Buffer.from(after.split(".")[0]!, "base64url").toString()).kid).toBe(fresh.kid);
    await expect(verifyTenantToken({ tenantId: t.id, slug: t.slug }, after, { audience: "api://rotate" })).resolves.toBeTruthy();
  });

  it("accepts RS256 with a key size", async () => {
    const t = await freshTenant();
    const fresh = await callerFor(w.ownerA.id).keys.rotateAndRevoke({ tenant: t.slug, alg: "RS256", modulusLength: 3072 });
    expect(fresh).toMatchObject({ state: "current", alg: "RS256" });
    const jwk = (await tenantJwks(t.slug)).keys.find((k) => k.kid === fresh.kid)!;
    expect(Buffer.from(jwk.n!, "base64url").length * 8).toBe(3072);
  });
});

describe("algorithms and key sizes", () => {
  it("stages RS256 (2048 bits) and EdDSA (Ed25519)", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const rsa = await owner.keys.stage({ tenant: t.slug, alg: "RS256", modulusLength: 2048 });
    expect(rsa).toMatchObject({ state: "next", alg: "RS256" });
    let jwk = (await tenantJwks(t.slug)).keys.find((k) => k.kid === rsa.kid)!;
    expect(jwk).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
    expect(Buffer.from(jwk.n!, "base64url").length * 8).toBe(2048);
    await owner.keys.promote({ tenant: t.slug });

    const ed = await owner.keys.stage({ tenant: t.slug, alg: "EdDSA" });
    expect(ed).toMatchObject({ state: "next", alg: "EdDSA" });
    jwk = (await tenantJwks(t.slug)).keys.find((k) => k.kid === ed.kid)!;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
  });

  it("refuses RSA below 2048 bits and a key size for non-RSA algorithms, with a message, writing nothing", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const mark = await lastAuditId(t.id);
    const small = await rejection(owner.keys.stage({ tenant: t.slug, alg: "RS256", modulusLength: 1024 }));
    expect(small.code).toBe("BAD_REQUEST");
    expect(small.issues).toEqual([{ path: "modulusLength", message: "RSA keys are 2048, 3072, 4096 bits." }]);
    for (const alg of ["ES256", "EdDSA"] as const) {
      const sized = await rejection(owner.keys.stage({ tenant: t.slug, alg, modulusLength: 2048 }));
      expect(sized.code).toBe("BAD_REQUEST");
      expect(sized.issues).toEqual([{ path: "modulusLength", message: "A key size applies to RS256 keys only." }]);
    }
    const rotateSized = await rejection(owner.keys.rotateAndRevoke({ tenant: t.slug, alg: "ES256", modulusLength: 2048 }));
    expect(rotateSized.code).toBe("BAD_REQUEST");
    expect(rotateSized.issues).toEqual([{ path: "modulusLength", message: "A key size applies to RS256 keys only." }]);
    const unknownAlg = await rejection(owner.keys.stage({ tenant: t.slug, alg: "HS256" as never }));
    expect(unknownAlg.code).toBe("BAD_REQUEST");
    expect(unknownAlg.issues).toEqual([{ path: "alg", message: "Choose an algorithm: ES256, RS256 or EdDSA." }]);
    expect(await keysOf(t.id)).toHaveLength(1);
    expect(await auditEvents(t.id, mark)).toEqual([]);
  });
});

describe("the audit trail of keys", () => {
  it("summarises every key event with kid, alg and state only — no private members, no ciphertext", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const first = (await keysOf(t.id))[0]!;
    await owner.keys.stage({ tenant: t.slug, alg: "RS256", modulusLength: 2048 });
    await owner.keys.promote({ tenant: t.slug });
    await owner.keys.revoke({ tenant: t.slug, keyId: first.id });
    await owner.keys.stage({ tenant: t.slug, alg: "EdDSA" });
    await owner.keys.rotateAndRevoke({ tenant: t.slug, alg: "ES256" });

    const events = (await auditEvents(t.id)).filter((e) => e.action.startsWith("signing_key."));
    expect(new Set(events.map((e) => e.action))).toEqual(
      new Set(["signing_key.created", "signing_key.staged", "signing_key.retired", "signing_key.promoted", "signing_key.revoked", "signing_key.rotated_and_revoked"]),
    );
    const pool = superuserPool();
    try {
      const secrets = (await rawKeyRows(pool, t.id)).flatMap((r) => {
        const c = r.private_key_ciphertext;
        return [c.toString("base64"), c.toString("base64url"), c.toString("hex"), c.subarray(0, 16).toString("hex")];
      });
      for (const e of events) {
        for (const side of [e.before, e.after]) {
          if (side === null) continue;
          // Exactly the summary: a too-generous one would show here even if redaction hid its values.
          expect(Object.keys(side as object).sort()).toEqual(["alg", "kid", "state"]);
        }
        const json = JSON.stringify({ before: e.before, after: e.after });
        const members = jsonKeys([e.before, e.after]);
        for (const m of PRIVATE_JWK_MEMBERS) expect(members.has(m)).toBe(false);
        expect(json).not.toContain("[redacted]");
        for (const s of secrets) expect(json).not.toContain(s);
      }
    } finally {
      await pool.end();
    }
  });
});

describe("permissions and tenant boundary", () => {
  it("support gets exactly what the RBAC matrix gives it", async () => {
    const support = callerFor(w.supportA.id);
    const [key] = await keysOf(w.a.id);
    const calls = {
      "keys.read": () => support.keys.list({ tenant: w.a.slug }),
      "keys.manage": () => support.keys.promote({ tenant: w.a.slug }),
    } as const;
    for (const [permission, call] of Object.entries(calls)) {
      const allowed = can("support", permission as keyof typeof calls);
      if (allowed) {
        await expect(call()).resolves.toBeTruthy();
      } else {
        const r = await rejection(call());
        expect(r.code).toBe("FORBIDDEN");
        expect(r.message).toContain(permission);
      }
    }
    // Every mutation, whatever the matrix says about reading.
    if (!can("support", "keys.manage")) {
      for (const call of [
        () => support.keys.stage({ tenant: w.a.slug, alg: "ES256" }),
        () => support.keys.revoke({ tenant: w.a.slug, keyId: key!.id }),
        () => support.keys.rotateAndRevoke({ tenant: w.a.slug }),
      ]) {
        expect((await rejection(call())).code).toBe("FORBIDDEN");
      }
    }
    expect((await keysOf(w.a.id)).map((k) => [k.id, k.state])).toEqual([[key!.id, "current"]]);
  });

  it("a security admin can list any tenant's keys (matrix: keys.read)", async () => {
    expect(can("security_admin", "keys.read")).toBe(true);
    const list = await callerFor(w.admin.id).keys.list({ tenant: w.b.slug });
    expect(list.keys.map((k) => k.id)).toEqual((await keysOf(w.b.id)).map((k) => k.id));
  });

  it("B's owner can neither see A's keys nor revoke one by id through B", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const first = (await keysOf(t.id))[0]!;
    await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    await owner.keys.promote({ tenant: t.slug });
    const ownerB = callerFor(w.ownerB.id);
    expect((await rejection(ownerB.keys.list({ tenant: t.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerB.keys.revoke({ tenant: t.slug, keyId: first.id }))).code).toBe("NOT_FOUND");
    expect((await rejection(ownerB.keys.revoke({ tenant: w.b.slug, keyId: first.id }))).code).toBe("NOT_FOUND");
    expect((await keysOf(t.id)).find((k) => k.id === first.id)!.state).toBe("previous");
    const listB = await ownerB.keys.list({ tenant: w.b.slug });
    const kidsOfT = new Set((await keysOf(t.id)).map((k) => k.kid));
    expect(listB.keys.some((k) => kidsOfT.has(k.kid))).toBe(false);
  });
});

describe("the database keeps the lifecycle forward-only", () => {
  it("refuses revoked → current, previous → current and revoked → previous even for a direct UPDATE in the tenant's scope", async () => {
    const t = await freshTenant();
    const owner = callerFor(w.ownerA.id);
    const first = (await keysOf(t.id))[0]!;
    const second = await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    await owner.keys.promote({ tenant: t.slug });
    await owner.keys.stage({ tenant: t.slug, alg: "ES256" });
    await owner.keys.promote({ tenant: t.slug }); // second → previous
    await owner.keys.revoke({ tenant: t.slug, keyId: first.id });

    const move = (id: string, state: string) =>
      inTenant(t.id, (s) => s.db.signingKey.updateMany({ where: { tenantId: s.tenantId, id }, data: { state, activatedAt: new Date(), retiredAt: new Date() } }));
    // Make room for a current key first, so only the trigger (not the one-current index) can refuse.
    const pool = superuserPool();
    try {
      await pool.query("UPDATE signing_keys SET state = 'previous', retired_at = now() WHERE tenant_id = $1 AND state = 'current'", [t.id]);
    } finally {
      await pool.end();
    }
    await expect(move(first.id, "current")).rejects.toThrow(/cannot go from revoked to current/);
    await expect(move(second.id, "current")).rejects.toThrow(/cannot go from previous to current/);
    await expect(move(first.id, "previous")).rejects.toThrow(/cannot go from revoked to previous/);
    const states = new Map((await keysOf(t.id)).map((k) => [k.id, k.state]));
    expect(states.get(first.id)).toBe("revoked");
    expect(states.get(second.id)).toBe("previous");
  });
});
