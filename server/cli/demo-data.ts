// Demo data: three tenants (each with a web and a native OAuth client) and one operator per role. Idempotent: an existing demo user or tenant is
// left as it is, so restarting `npm run dev` keeps whatever you changed.
import { onPlatform, inTenant } from "../db/doors";
import { bootstrapSecurityAdmin } from "../db/owner";
import { hashPassword } from "../auth/password";
import { createUser, findUserByEmail } from "../accounts/platform-users-repository";
import { findTenantBySlug } from "../tenants/platform-repository";
import { provisionTenant } from "../tenants/provisioning";
import { upsertMember, findMemberByUser } from "../members/repository";
import { recordAudit, SYSTEM_ACTOR } from "../audit/record";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { auditorFor } from "../audit/record";
import { createClient } from "../clients/service";
import { seedConfirmedTotp } from "../mfa/totp";

export const DEMO_TENANTS = [
  { slug: "acme", name: "Acme Corporation" },
  { slug: "globex", name: "Globex" },
  { slug: "initech", name: "Initech" },
] as const;

export const DEMO_USERS = [
  { email: "admin@credo.local", name: "Ada Admin", password: "ChangeMe-Admin-1", role: "security_admin", tenants: [] },
  { email: "owner@credo.local", name: "Olga Owner", password: "ChangeMe-Owner-1", role: "owner", tenants: ["acme", "globex"] },
  { email: "support@credo.local", name: "Sam Support", password: "ChangeMe-Support-1", role: "support", tenants: ["acme"] },
  // A security admin who has not set up a second factor yet: signing in leads to enrolment first.
  { email: "newadmin@credo.local", name: "Nia Newadmin", password: "ChangeMe-Newadmin-1", role: "security_admin", tenants: [] },
] as const;

/**
 * DEMO ONLY — published in README.md, so it protects nothing: the authenticator secret of the demo
 * security admin (admin@credo.local), so `npm run dev` and the e2e suite can sign in (security admins
 * must have a second factor). Add it to an authenticator app, or compute codes with otplib.
 */
export const DEMO_ADMIN_TOTP_SECRET = "DEMOADMINTOTPSECRETDEVONLY234567";

const SUPPORT_GRANT_DAYS = 30;

export async function seedDemoData(log: (line: string) => void = () => {}): Promise<void> {
  const users = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const existing = await onPlatform((db) => findUserByEmail(db, u.email));
    if (existing) {
      users.set(u.email, existing.id);
      continue;
    }
    const passwordHash = await hashPassword(u.password);
    const created = await onPlatform((db) => createUser(db, { email: u.email, name: u.name, passwordHash }));
    // The runtime role cannot make a security admin out of nothing: the owner does (server/db/owner.ts).
    if (u.role === "security_admin") await bootstrapSecurityAdmin(created.id);
    users.set(u.email, created.id);
    log(`created user ${u.email}`);
    if (u.email === "admin@credo.local") await onPlatform((db) => seedConfirmedTotp(db, created.id, DEMO_ADMIN_TOTP_SECRET));
  }

  for (const t of DEMO_TENANTS) {
    const existing = await onPlatform((db) => findTenantBySlug(db, t.slug));
    if (!existing) {
      await provisionTenant({ slug: t.slug, name: t.name }, SYSTEM_ACTOR, null);
      log(`created tenant ${t.slug}`);
    }
  }

  // Per demo tenant: a confidential web app with an https redirect URI, and a native app with a
  // loopback one (RFC 8252). Only for tenants without clients, so edits survive restarts.
  for (const t of DEMO_TENANTS) {
    const tenant = await onPlatform((db) => findTenantBySlug(db, t.slug));
    if (!tenant) continue;
    await inTenant(tenantIdFromDatabase(tenant.id), async (scope) => {
      if ((await scope.db.oAuthClient.count({ where: { tenantId: scope.tenantId } })) > 0) return;
      const audit = auditorFor(scope, SYSTEM_ACTOR, null);
      await createClient(scope, audit, SYSTEM_ACTOR, {
        name: `${t.name} web portal`,
        type: "web",
        redirectUris: [`https://${t.slug}.example.com/callback`],
        postLogoutRedirectUris: [`https://${t.slug}.example.com/`],
        allowedOrigins: [],
      });
      await createClient(scope, audit, SYSTEM_ACTOR, {
        name: `${t.name} desktop app`,
        type: "native",
        redirectUris: ["http://127.0.0.1/callback"],
        postLogoutRedirectUris: [],
        allowedOrigins: [],
      });
      log(`created demo clients for ${t.slug}`);
    });
  }

  for (const u of DEMO_USERS) {
    if (u.role === "security_admin") continue;
    for (const slug of u.tenants) {
      const tenant = await onPlatform((db) => findTenantBySlug(db, slug));
      if (!tenant) continue;
      const userId = users.get(u.email)!;
      await inTenant(tenantIdFromDatabase(tenant.id), async (scope) => {
        if (await findMemberByUser(scope, userId)) return;
        const expiresAt = u.role === "support" ? new Date(Date.now() + SUPPORT_GRANT_DAYS * 86_400_000) : null;
        const m = await upsertMember(scope, { userId, role: u.role, expiresAt, createdBy: null });
        await recordAudit(scope, SYSTEM_ACTOR, null, {
          action: u.role === "support" ? "member.support_granted" : "member.added",
          targetType: "membership",
          targetId: m.id,
          after: { user: u.email, role: u.role, expiresAt },
        });
      });
    }
  }
}

export function demoCredentialsBanner(): string {
  const lines = DEMO_USERS.map((u) => `  ${u.role.padEnd(15)} ${u.email.padEnd(22)} ${u.password}`);
  return [
    "Demo sign-ins (change them for anything but a demo):",
    ...lines,
    `  admin@credo.local's authenticator secret (demo only): ${DEMO_ADMIN_TOTP_SECRET}`,
  ].join("\n");
}
