// Test fixtures built through the real code paths (provisioning, doors, memberships).
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { AppError } from "../isomorphic/errors";
import { onPlatform, inTenant } from "../db/doors";
import { createUser } from "../accounts/platform-users-repository";
import { bootstrapSecurityAdmin } from "../db/owner";
import { upsertMember } from "../members/repository";
import { provisionTenant } from "../tenants/provisioning";
import { SYSTEM_ACTOR } from "../audit/record";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import type { TenantId } from "../tenancy/tenant-id";
import { createSession } from "../auth/sessions";
import { readOperatorPolicy } from "../auth/operator-policy";

/** A unique slug-safe suffix so tests never collide in the shared test database. */
export function uniq(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function makeTenant(slug = uniq("tenant")): Promise<{ id: TenantId; slug: string }> {
  const t = await provisionTenant({ slug, name: `Tenant ${slug}` }, SYSTEM_ACTOR, null);
  return { id: t.id, slug: t.slug };
}

export async function makeUser(opts: { platformRole?: "security_admin"; email?: string } = {}) {
  const email = opts.email ?? `${uniq("user")}@example.test`;
  const user = await onPlatform((db) => createUser(db, { email, name: email, passwordHash: null }));
  if (!opts.platformRole) return user;
  await bootstrapSecurityAdmin(user.id);
  return { ...user, platformRole: opts.platformRole };
}

export async function grant(tenant: { id: TenantId }, userId: string, role: "owner" | "support", expiresAt: Date | null = null) {
  return inTenant(tenant.id, (scope) =>
    upsertMember(scope, { userId, role, expiresAt: role === "support" ? expiresAt ?? new Date(Date.now() + 86_400_000) : null, createdBy: null }),
  );
}

const testSessions = new Map<string, string>();

/**
 * An Auth.js-shaped session for a user, backed by a real server-side session row (created once per
 * user and reused; an unknown user id gets a session id that matches no row). The session has passed
 * the second factor, so neither the gate nor step-up stands in the way (server/mfa/mfa.test.ts
 * covers those).
 */
export async function sessionFor(userId: string): Promise<{ user: { id: string }; sid: string }> {
  let sid = testSessions.get(userId);
  if (!sid) {
    try {
      sid = await onPlatform(async (db) => (await createSession(db, { userId, authMethod: "password", ip: "203.0.113.7", userAgent: "vitest", secondFactorVerified: true }, await readOperatorPolicy(db))).id);
    } catch {
      sid = randomUUID();
    }
    testSessions.set(userId, sid);
  }
  return { user: { id: userId }, sid };
}

/** Forget the cached session of a user (the next callerFor signs in afresh). */
export function forgetSession(userId: string): void {
  testSessions.delete(userId);
}

export function callerFor(userId: string | null) {
  return createCaller(async () =>
    createTRPCContext({
      session: userId ? await sessionFor(userId) : null,
      meta: { requestId: randomUUID(), ip: "203.0.113.7", userAgent: "vitest" },
    }),
  );
}

/** Two tenants, an owner of each, a support user on A, and a security admin. */
export type TestTenant = Awaited<ReturnType<typeof makeTenant>>;

/**
 * Two tenants for the door tests (server/db/*.test.ts); with `eventAction`, each gets one audit
 * event of that action whose target id is its own slug, so a read can tell whose row it saw.
 */
export async function twoTenants(eventAction?: string): Promise<[TestTenant, TestTenant]> {
  const pair: [TestTenant, TestTenant] = [await makeTenant(), await makeTenant()];
  if (eventAction) {
    for (const t of pair) {
      await inTenant(t.id, (scope) => scope.db.auditEvent.create({ data: { tenantId: t.id, actorType: "system", action: eventAction, targetType: "test", targetId: t.slug } }));
    }
  }
  return pair;
}

export async function twoTenantWorld() {
  const a = await makeTenant(uniq("a"));
  const b = await makeTenant(uniq("b"));
  const ownerA = await makeUser();
  const ownerB = await makeUser();
  const supportA = await makeUser();
  const admin = await makeUser({ platformRole: "security_admin" });
  await grant(a, ownerA.id, "owner");
  await grant(b, ownerB.id, "owner");
  await grant(a, supportA.id, "support");
  return { a, b, ownerA, ownerB, supportA, admin };
}

/** The tRPC error a call is refused with (code and message); fails the test if it succeeds. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a rejection");
}

/** The field and stable code a refusal names for forms (AppError → error.data.field/appCode). */
export async function rejectionDetail(p: Promise<unknown>): Promise<{ field?: string; appCode: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError && e.cause instanceof AppError) return { ...e.cause.options, appCode: e.cause.code };
    throw e;
  }
  throw new Error("expected a rejection");
}
