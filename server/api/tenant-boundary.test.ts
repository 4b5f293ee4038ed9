// ADR-008's mandatory tenant-boundary tests, through tRPC (the same router the browser calls):
// isolation of read/list/modify/delete, rejection without a resolvable tenant, deterministic
// selection, and no existence oracle.
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, grant, makeUser, twoTenantWorld, rejection } from "../testing/fixtures";
import { onPlatform, inTenant } from "../db/doors";
import { setUserStatus } from "../accounts/platform-users-repository";
import { findMember } from "../members/repository";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
beforeAll(async () => {
  w = await twoTenantWorld();
});


describe("1. tenant A cannot read, list, modify or delete tenant B's data", () => {
  it("reads and lists of B are refused; A's lists contain only A", async () => {
    const a = callerFor(w.ownerA.id);
    expect((await rejection(a.members.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(a.audit.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
    expect((await rejection(a.tenant.overview({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");

    const members = await a.members.list({ tenant: w.a.slug });
    const ids = members.items.map((m) => m.user.id);
    expect(ids).toContain(w.ownerA.id);
    expect(ids).not.toContain(w.ownerB.id);
    const audit = await a.audit.list({ tenant: w.a.slug });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e) => e.tenantId === w.a.id)).toBe(true);
  });

  it("B's row cannot be deleted or modified through A's context, even by its id", async () => {
    const bMember = await inTenant(w.b.id, (s) => s.db.membership.findFirstOrThrow({ where: { tenantId: s.tenantId, userId: w.ownerB.id } }));
    const a = callerFor(w.ownerA.id);
    const refused = await rejection(a.members.remove({ tenant: w.a.slug, membershipId: bMember.id }));
    expect(refused.code).toBe("NOT_FOUND");
    expect(await inTenant(w.b.id, (s) => findMember(s, bMember.id))).not.toBeNull();

    // Inviting someone into B via A's session is refused as well.
    expect((await rejection(a.invitations.create({ tenant: w.b.slug, email: "x@example.test", role: "owner" }))).code).toBe("NOT_FOUND");
  });
});

describe("2. a request without a resolvable tenant is rejected", () => {
  it("no session, no tenant, empty or malformed tenant", async () => {
    expect((await rejection(callerFor(null).members.list({ tenant: w.a.slug }))).code).toBe("UNAUTHORIZED");
    const a = callerFor(w.ownerA.id);
    expect((await rejection(a.members.list({} as never))).code).toBe("BAD_REQUEST");
    for (const tenant of ["", "ACME", "../a", "a b", w.a.id, "x".repeat(100)]) {
      expect((await rejection(a.members.list({ tenant }))).code).not.toBe("OK");
    }
  });

  it("a tenantId in the input body is refused, not used", async () => {
    const a = callerFor(w.ownerA.id);
    const r = await rejection(a.members.list({ tenant: w.a.slug, tenantId: w.b.id } as never));
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toMatch(/tenant comes from the URL/);
  });

  it("a suspended operator is refused at once, even with a valid session", async () => {
    const u = await makeUser();
    await grant(w.a, u.id, "owner");
    await callerFor(u.id).members.list({ tenant: w.a.slug });
    await onPlatform((db) => setUserStatus(db, u.id, "suspended"));
    expect((await rejection(callerFor(u.id).members.list({ tenant: w.a.slug }))).code).toBe("UNAUTHORIZED");
  });

  it("membership removal and support-grant expiry take effect on the next request", async () => {
    const u = await makeUser();
    const m = await grant(w.a, u.id, "owner");
    await callerFor(u.id).tenant.overview({ tenant: w.a.slug });
    await inTenant(w.a.id, (s) => s.db.membership.delete({ where: { tenantId_id: { tenantId: s.tenantId, id: m.id } } }));
    expect((await rejection(callerFor(u.id).tenant.overview({ tenant: w.a.slug }))).code).toBe("NOT_FOUND");

    const s = await makeUser();
    await grant(w.a, s.id, "support", new Date(Date.now() - 1000));
    expect((await rejection(callerFor(s.id).audit.list({ tenant: w.a.slug }))).code).toBe("NOT_FOUND");
  });
});

describe("3. tenant selection is deterministic: the path decides", () => {
  it("one session alternating between tenants always gets the tenant of the path", async () => {
    const both = await makeUser();
    await grant(w.a, both.id, "owner");
    await grant(w.b, both.id, "owner");
    const c = callerFor(both.id);
    const slugs = Array.from({ length: 40 }, (_, i) => (i % 2 ? w.a.slug : w.b.slug));
    const results = await Promise.all(slugs.map((tenant) => c.tenant.overview({ tenant })));
    expect(results.map((r) => r.slug)).toEqual(slugs);
    const audits = await Promise.all(slugs.map((tenant) => c.audit.list({ tenant, limit: 200 })));
    audits.forEach((page, i) => {
      const expected = slugs[i] === w.a.slug ? w.a.id : w.b.id;
      expect(page.items.every((e) => e.tenantId === expected)).toBe(true);
    });
  });
});

describe("4. a foreign tenant looks exactly like a missing one", () => {
  it("same code and message", async () => {
    const a = callerFor(w.ownerA.id);
    const foreign = await rejection(a.tenant.overview({ tenant: w.b.slug }));
    const missing = await rejection(a.tenant.overview({ tenant: "does-not-exist-q" }));
    const malformed = await rejection(a.tenant.overview({ tenant: "Not A Slug" }));
    expect(foreign).toEqual(missing);
    expect(malformed).toEqual(missing);
  });
});

describe("roles", () => {
  it("support reads the audit trail but may not change anything", async () => {
    const s = callerFor(w.supportA.id);
    const page = await s.audit.list({ tenant: w.a.slug });
    expect(page.items.length).toBeGreaterThan(0);
    expect((await rejection(s.invitations.create({ tenant: w.a.slug, email: "x@example.test", role: "owner" }))).code).toBe("FORBIDDEN");
    expect((await rejection(s.members.list({ tenant: w.a.slug }))).code).toBe("FORBIDDEN");
    expect((await rejection(s.audit.list({ tenant: w.b.slug }))).code).toBe("NOT_FOUND");
  });

  it("a security admin may act in every tenant and sees the tenant list", async () => {
    const admin = callerFor(w.admin.id);
    expect((await admin.tenant.overview({ tenant: w.b.slug })).role).toBe("security_admin");
    const list = await admin.platform.tenants.list({ search: w.a.slug, limit: 10 });
    expect(list.items.map((t) => t.slug)).toEqual([w.a.slug]);
    expect((await rejection(callerFor(w.ownerA.id).platform.tenants.list({ limit: 10 }))).code).toBe("FORBIDDEN");
  });

  it("an owner's tenant list shows exactly their tenants", async () => {
    const mine = await callerFor(w.ownerA.id).me.tenants();
    expect(mine.map((t) => t.slug)).toEqual([w.a.slug]);
  });
});
