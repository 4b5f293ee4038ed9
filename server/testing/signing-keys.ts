// Shared helpers of the signing-key tests (server/signing-keys/*.test.ts). Not imported by application code.
import pg from "pg";
import { inject } from "vitest";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { inTenant, type TenantScope } from "../db/doors";
import { auditorFor, SYSTEM_ACTOR, type Auditor } from "../audit/record";
import { listKeys, type SigningKeyView } from "../signing-keys/service";
import type { TenantId } from "../tenancy/tenant-id";

/** JWK members that carry private or symmetric key material. */
export const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] as const;

/** The members a published signing JWK may have, and nothing else. */
export const PUBLIC_JWK_MEMBERS = ["kty", "crv", "x", "y", "n", "e", "kid", "alg", "use"] as const;

/** The fields of a SigningKeyView: what callers see of a key (no key material). */
export const VIEW_FIELDS = ["activatedAt", "alg", "autoPromoteAt", "createdAt", "id", "kid", "retiredAt", "revokedAt", "state"];

/**
 * The tRPC error a call was rejected with (fails the test if it resolved). For input validation,
 * `issues` are the zod issues (path + the message a person sees; over HTTP the error formatter
 * shows the first as "path: message").
 */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; issues: { path: string; message: string }[] }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) {
      const issues = e.cause instanceof ZodError ? e.cause.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : [];
      return { code: e.code, message: e.message, issues };
    }
    throw e;
  }
  throw new Error("expected a rejection");
}

/** The error a promise was rejected with (fails the test if it resolved). */
export async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

export function systemAuditor(scope: TenantScope): Auditor {
  return auditorFor(scope, SYSTEM_ACTOR, null);
}

/** The tenant's keys as the application lists them. */
export function keysOf(tenantId: TenantId): Promise<SigningKeyView[]> {
  return inTenant(tenantId, listKeys);
}

export function inState(keys: SigningKeyView[], state: SigningKeyView["state"]): SigningKeyView[] {
  return keys.filter((k) => k.state === state);
}

export interface AuditRow {
  id: bigint;
  action: string;
  actorType: string;
  actorId: string | null;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

/** The tenant's audit events with an id above `afterId`, oldest first. */
export function auditEvents(tenantId: TenantId, afterId = 0n): Promise<AuditRow[]> {
  return inTenant(tenantId, (s) =>
    s.db.auditEvent.findMany({
      where: { tenantId: s.tenantId, id: { gt: afterId } },
      select: { id: true, action: true, actorType: true, actorId: true, targetType: true, targetId: true, before: true, after: true },
      orderBy: { id: "asc" },
    }),
  );
}

/** The id of the tenant's newest audit event (0n if none). */
export async function lastAuditId(tenantId: TenantId): Promise<bigint> {
  const all = await auditEvents(tenantId);
  return all.at(-1)?.id ?? 0n;
}

/** Every object key anywhere inside a JSON value. */
export function jsonKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) jsonKeys(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      jsonKeys(v, out);
    }
  }
  return out;
}

/**
 * A connection to the test database as the superuser (what global-setup connects with), bypassing
 * the runtime role, its column grants and RLS: it plays an attacker with write access to the
 * database, or a test inspecting raw rows.
 */
export function superuserPool(): pg.Pool {
  return new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
}

/** Raw signing-key rows of a tenant, including the encrypted private key. */
export async function rawKeyRows(pool: pg.Pool, tenantId: string) {
  const r = await pool.query<{
    id: string;
    kid: string;
    state: string;
    public_jwk: Record<string, unknown>;
    private_key_iv: Buffer;
    private_key_tag: Buffer;
    private_key_ciphertext: Buffer;
    data_key_id: string;
  }>(
    `SELECT id::text, kid, state, public_jwk, private_key_iv, private_key_tag, private_key_ciphertext, data_key_id::text
       FROM signing_keys WHERE tenant_id = $1 ORDER BY created_at`,
    [tenantId],
  );
  return r.rows;
}

/** The tenant's raw data-key row (wrapped). */
export async function rawDataKey(pool: pg.Pool, tenantId: string) {
  const r = await pool.query<{ id: string; kek_id: string; wrap_iv: Buffer; wrap_tag: Buffer; wrapped_key: Buffer; rotated_at: Date | null }>(
    "SELECT id::text, kek_id, wrap_iv, wrap_tag, wrapped_key, rotated_at FROM tenant_data_keys WHERE tenant_id = $1",
    [tenantId],
  );
  if (r.rows.length !== 1) throw new Error(`expected one data key, found ${r.rows.length}`);
  return r.rows[0]!;
}
