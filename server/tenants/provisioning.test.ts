// Provisioning: slug rules, uniqueness, the first owner (invited, never added without consent),
// the audit event — all or nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { callerFor, makeUser, uniq } from "../testing/fixtures";
import { inTenant, onPlatform } from "../db/doors";
import { findTenantBySlug } from "./platform-repository";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import type { TestSmtp } from "../testing/smtp";
import { tokenFromMail, useTestSmtp } from "../testing/accounts";

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await useTestSmtp();
});
afterAll(() => smtp.close());

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
  it("creates the tenant and invites its first owner, who becomes owner only by accepting", async () => {
    const admin = await makeUser({ platformRole: "security_admin" });
    const owner = await makeUser();
    const slug = uniq("prov");
    const since = smtp.received.length;
    const created = await callerFor(admin.id).platform.tenants.create({ slug, name: "Provisioned Ltd", ownerEmail: owner.email });
    expect(created).toMatchObject({ slug, ownerInvited: true });
    // Not a member yet: no consent given.
    expect(await callerFor(owner.id).me.tenants()).toEqual([]);
    const token = await tokenFromMail(smtp, owner.email, "invite", since);
    await callerFor(owner.id).account.acceptInvitationSignedIn({ token });
    const tenants = await callerFor(owner.id).me.tenants();
    expect(tenants.map((t) => [t.slug, t.role])).toEqual([[slug, "owner"]]);
    const actions = await inTenant(created.id, (s) => s.db.auditEvent.findMany({ where: { tenantId: s.tenantId }, orderBy: { id: "asc" } }));
    expect(actions.map((e) => e.action)).toEqual(["tenant.created", "signing_key.created", "member.invited", "member.joined"]);
    expect(actions[0]!.actorId).toBe(admin.id);
  });

  it("answers the same whether or not the owner address has an account (no oracle)", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const existing = await makeUser();
    const strip = (r: Record<string, unknown>) => ({ ...r, id: "x", slug: "x" });
    const since = smtp.received.length;
    const known = await admin.platform.tenants.create({ slug: uniq("known"), name: "X", ownerEmail: existing.email });
    const ghost = `${uniq("ghost")}@example.test`;
    const unknown = await admin.platform.tenants.create({ slug: uniq("unknown"), name: "X", ownerEmail: ghost });
    expect(strip(unknown)).toEqual(strip(known));
    // Both got an invitation; the unknown address creates its account by accepting.
    await tokenFromMail(smtp, existing.email, "invite", since);
    const token = await tokenFromMail(smtp, ghost, "invite", since);
    expect(await callerFor(null).account.invitation({ token })).toMatchObject({ email: ghost, hasAccount: false, role: "owner" });
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
      const r = await codeAndMessage(admin.platform.tenants.create({ slug, name: "X" }));
      expect({ slug, code: r.code }).toEqual({ slug, code: "BAD_REQUEST" });
      expect(r.message).toMatch(why);
    }
    const slug = uniq("dup");
    await admin.platform.tenants.create({ slug, name: "First" });
    const dup = await codeAndMessage(admin.platform.tenants.create({ slug, name: "Second" }));
    expect(dup).toEqual({ code: "CONFLICT", message: `The slug "${slug}" is already taken.` });
  });

  it("an owner invitation that cannot be sent refuses the whole provisioning (no tenant left behind)", async () => {
    const { env } = await import("../env");
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const slug = uniq("nomail");
    const saved = env.SMTP_URL;
    env.SMTP_URL = "smtp://127.0.0.1:1"; // nothing listens there
    try {
      const r = await codeAndMessage(admin.platform.tenants.create({ slug, name: "X", ownerEmail: "someone@example.test" }));
      expect(r.code).toBe("PRECONDITION_FAILED");
    } finally {
      env.SMTP_URL = saved;
    }
    expect(await onPlatform((db) => findTenantBySlug(db, slug))).toBeNull();
  });

  it("owners and support cannot provision", async () => {
    const u = await makeUser();
    expect((await codeAndMessage(callerFor(u.id).platform.tenants.create({ slug: uniq("no"), name: "X" }))).code).toBe("FORBIDDEN");
  });

  it("the new tenant is immediately usable by its scope", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const t = await admin.platform.tenants.create({ slug: uniq("ready"), name: "Ready" });
    const row = await onPlatform((db) => findTenantBySlug(db, t.slug));
    const id = tenantIdFromDatabase(row!.id);
    expect(await inTenant(id, (s) => s.db.auditEvent.count({ where: { tenantId: s.tenantId } }))).toBe(2);
    // Every tenant signs from its first moment on: exactly one current key.
    expect(await inTenant(id, (s) => s.db.signingKey.findMany({ where: { tenantId: s.tenantId }, select: { state: true } }))).toEqual([
      { state: "current" },
    ]);
  });
});

describe("the security admins' tenant list", () => {
  it("pages in slug order by keyset, searches slug and name, and a typed % or _ matches only itself", async () => {
    const admin = callerFor((await makeUser({ platformRole: "security_admin" })).id);
    const tag = uniq("lst").replace("-", "");
    const slugs = [`${tag}-a`, `${tag}-b`, `${tag}-c`];
    for (const slug of slugs) await admin.platform.tenants.create({ slug, name: `List ${slug.endsWith("b") ? "100% Widgets" : "Widgets"}` });
    const first = await admin.platform.tenants.list({ search: tag, limit: 2 });
    expect(first.items.map((t) => t.slug)).toEqual(slugs.slice(0, 2));
    expect(first.items[0]).toMatchObject({ status: "active", pausedAt: null });
    expect(first.items[0]!.createdAt).toBeInstanceOf(Date);
    expect(first.nextAfter).toBe(slugs[1]);
    const second = await admin.platform.tenants.list({ search: tag, limit: 2, after: first.nextAfter });
    expect(second.items.map((t) => t.slug)).toEqual([slugs[2]]);
    expect(second.nextAfter).toBeNull();
    // By name, case-insensitively; "%" is a literal percent sign, "_" a literal underscore.
    expect((await admin.platform.tenants.list({ search: "100% WIDGETS" })).items.map((t) => t.slug)).toContain(slugs[1]);
    expect((await admin.platform.tenants.list({ search: `${tag}%` })).items).toEqual([]);
    expect((await admin.platform.tenants.list({ search: `${tag.slice(0, -1)}_` })).items).toEqual([]);
  });
});
