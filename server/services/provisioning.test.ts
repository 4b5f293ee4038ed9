// Provisioning: slug rules, uniqueness, the first owner, the audit event — all or nothing.
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, makeUser, uniq } from "../testing/fixtures";
import { inTenant, onPlatform } from "../db/doors";
import { findTenantBySlug } from "../repos/platform-tenants";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";

async function codeAndMessage(p: Promise<unknown>) {
  try {
    await p;
    return { code: "OK", message: "" };
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
}

describe("tenant provisioning (security admins)", () => {
  it("creates the tenant, its first owner and the audit events in one go", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const owner = await makeUser();
    const slug = uniq("prov");
    const created = await callerFor(admin.id).platform.createTenant({ slug, name: "Provisioned Ltd", ownerEmail: owner.email });
    expect(created.slug).toBe(slug);
    const tenants = await callerFor(owner.id).me.tenants();
    expect(tenants.map((t) => t.slug)).toEqual([slug]);
    const actions = await inTenant(created.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId }, orderBy: { id: "asc" } }));
    expect(actions.map((e) => e.action)).toEqual(["tenant.created", "signing_key.created", "member.added"]);
    expect(actions[0]!.actorId).toBe(admin.id);
  });

  it("refuses bad and reserved slugs with a message naming the rule, and duplicates", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const cases: [string, RegExp][] = [
      ["Acme", /lowercase letters, digits and hyphens/],
      ["ab", /at least 3/],
      ["-acme", /lowercase letters/],
      ["acme-", /lowercase letters/],
      ["ac--me", /two hyphens/],
      ["a_b_c", /lowercase letters/],
      ["admin", /reserved/],
      ["api", /reserved/],
      ["x".repeat(64), /at most 63/],
    ];
    for (const [slug, why] of cases) {
      const r = await codeAndMessage(admin.platform.createTenant({ slug, name: "X" }));
      expect({ slug, code: r.code }).toEqual({ slug, code: "BAD_REQUEST" });
      expect(r.message).toMatch(why);
    }
    const slug = uniq("dup");
    await admin.platform.createTenant({ slug, name: "First" });
    const dup = await codeAndMessage(admin.platform.createTenant({ slug, name: "Second" }));
    expect(dup).toEqual({ code: "CONFLICT", message: `The slug "${slug}" is already taken.` });
  });

  it("an unknown owner e-mail refuses the whole provisioning (no tenant left behind)", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const slug = uniq("noowner");
    const r = await codeAndMessage(admin.platform.createTenant({ slug, name: "X", ownerEmail: "ghost@example.test" }));
    expect(r.code).toBe("BAD_REQUEST");
    expect(await onPlatform((db) => findTenantBySlug(db, slug))).toBeNull();
  });

  it("owners and support cannot provision", async () => {
    const u = await makeUser();
    expect((await codeAndMessage(callerFor(u.id).platform.createTenant({ slug: uniq("no"), name: "X" }))).code).toBe("FORBIDDEN");
  });

  it("the new tenant is immediately usable by its scope", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const t = await admin.platform.createTenant({ slug: uniq("ready"), name: "Ready" });
    const row = await onPlatform((db) => findTenantBySlug(db, t.slug));
    const id = tenantIdFromDatabase(row!.id);
    expect(await inTenant(id, (s) => s.db.auditEvent.count({ where: { tenantId: s.tenantId } }))).toBe(2);
    // Every tenant signs from its first moment on: exactly one current key.
    expect(await inTenant(id, (s) => s.db.signingKey.findMany({ where: { tenantId: s.tenantId }, select: { state: true } }))).toEqual([
      { state: "current" },
    ]);
  });
});
