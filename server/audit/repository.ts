// Tenant-owned repository: the audit trail of one tenant (read side; writes are in server/audit).
// Every filter is AND-ed with tenant_id, so each query is served by an index led by tenant_id
// (id for paging, action, target, occurred_at); paging is keyset on the monotonic id, stable under
// concurrent inserts.
import { likeLiteral } from "../lists/like";
import { Prisma } from "../db/generated/client";
import type { TenantReadScope } from "../db/doors";
import { queryRows } from "../db/rows";
import type { ChainedEvent } from "./chain";

export interface AuditFilters {
  /** Inclusive lower / exclusive upper bound on occurred_at. */
  from?: Date | null;
  to?: Date | null;
  /** Actor id or label (exact id, or label contains, case-insensitive). */
  actor?: string | null;
  /** Action prefix, e.g. "client." or "signing_key.rotated". */
  actionPrefix?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: "success" | "failure" | null;
  /** Free text: found in the action, target type or target id. */
  text?: string | null;
}

export interface AuditPageInput extends AuditFilters {
  /** Return events with id < cursor (ids are monotonic, so paging is stable under inserts). */
  cursor?: bigint | null;
  limit: number;
}

/** One event as the viewer reads it: the hashed fields, its id, chain position and hash. */
type EventRow = Omit<ChainedEvent, "seq" | "before" | "after"> & {
  id: bigint;
  seq: bigint | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
  /** The chain hash as hex (bytes do not travel well, and hex is what people compare). */
  hash: string | null;
};

/**
 * The smallest string above every string that starts with `prefix`, in code point order (the
 * action column is COLLATE "C": byte order of UTF-8 = code point order), or null when there is none
 * (a prefix of U+10FFFF only).
 */
export function prefixUpperBound(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    // The code point after U+D7FF is U+E000 (surrogates are not characters).
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return chars.join("") + String.fromCodePoint(next);
  }
  return null;
}

/**
 * The action prefix as a range, [prefix, upper bound): exactly the actions starting with the prefix
 * (the column is COLLATE "C", migration 20261207106000), and unlike LIKE its comparisons are
 * leakproof, so the planner uses the column's statistics under row level security (it does not for
 * LIKE and estimated a prefix to match ~1 row, picking a bitmap scan + sort over the tenant's whole
 * history instead of walking (tenant_id, id) backwards: issue 16).
 */
function actionPrefixWhere(prefix: string): Prisma.AuditEventWhereInput {
  const upper = prefixUpperBound(prefix);
  return { action: upper === null ? { gte: prefix } : { gte: prefix, lt: upper } };
}

export function auditWhere(scope: TenantReadScope, f: AuditFilters): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (f.from || f.to) and.push({ occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } });
  if (f.actor) and.push({ OR: [{ actorId: f.actor }, { actorLabel: { contains: likeLiteral(f.actor), mode: "insensitive" } }] });
  if (f.actionPrefix) and.push(actionPrefixWhere(f.actionPrefix));
  if (f.targetType) and.push({ targetType: f.targetType });
  if (f.targetId) and.push({ targetId: f.targetId });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.text) {
    const t = likeLiteral(f.text);
    and.push({
      OR: [
        { action: { contains: t, mode: "insensitive" } },
        { targetType: { contains: t, mode: "insensitive" } },
        { targetId: { contains: t, mode: "insensitive" } },
      ],
    });
  }
  return { tenantId: scope.tenantId, ...(and.length ? { AND: and } : {}) };
}

/** EventRow's columns, named as Prisma names them (the page is read with queryRows). */
const EVENT_COLUMNS = Prisma.sql`id, tenant_id AS "tenantId", occurred_at AS "occurredAt", actor_type AS "actorType", actor_id AS "actorId",
  actor_label AS "actorLabel", action, target_type AS "targetType", target_id AS "targetId", outcome, before, after, ip,
  user_agent AS "userAgent", request_id AS "requestId", seq, encode(hash, 'hex') AS hash`;

/**
 * auditWhere as SQL, for the viewer's page (read on the transaction's connection, server/db/rows.ts:
 * issue 16's ≤ 1.5× raw SQL). Free text is not here: textSearchIds finds those ids.
 */
function pageWhereSql(scope: TenantReadScope, f: AuditPageInput): Prisma.Sql {
  const and = [Prisma.sql`tenant_id = ${scope.tenantId}::uuid`];
  if (f.from) and.push(Prisma.sql`occurred_at >= ${f.from}::timestamptz`);
  if (f.to) and.push(Prisma.sql`occurred_at < ${f.to}::timestamptz`);
  if (f.actor) and.push(Prisma.sql`(actor_id = ${f.actor} OR actor_label ILIKE ${`%${likeLiteral(f.actor)}%`})`);
  if (f.actionPrefix) {
    const upper = prefixUpperBound(f.actionPrefix);
    and.push(upper === null ? Prisma.sql`action >= ${f.actionPrefix}` : Prisma.sql`action >= ${f.actionPrefix} AND action < ${upper}`);
  }
  if (f.targetType) and.push(Prisma.sql`target_type = ${f.targetType}`);
  if (f.targetId) and.push(Prisma.sql`target_id = ${f.targetId}`);
  if (f.outcome) and.push(Prisma.sql`outcome = ${f.outcome}`);
  if (f.cursor) and.push(Prisma.sql`id < ${f.cursor}::bigint`);
  return Prisma.join(and, " AND ");
}

export async function listAuditEvents(scope: TenantReadScope, input: AuditPageInput) {
  const rows = input.text
    ? await readEvents(scope, await textSearchIds(scope, input))
    : await queryRows<EventRow>(scope.db, Prisma.sql`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE ${pageWhereSql(scope, input)} ORDER BY id DESC LIMIT ${input.limit + 1}`);
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]!.id : null };
}

/**
 * The ids of a free-text page (limit + 1, newest first), chosen by audit_text_search() (migration
 * 20261208100000): it runs as a role whose policy lets the planner use the trigram index, and it
 * takes the tenant from this transaction's own scope, never from an argument.
 */
async function textSearchIds(scope: TenantReadScope, input: AuditPageInput): Promise<bigint[]> {
  const upper = input.actionPrefix ? prefixUpperBound(input.actionPrefix) : null;
  const rows = await queryRows<{ id: bigint }>(
    scope.db,
    Prisma.sql`
    SELECT id FROM audit_text_search(
      ${`%${likeLiteral(input.text!)}%`}, ${input.from ?? null}::timestamptz, ${input.to ?? null}::timestamptz,
      ${input.actor ?? null}, ${input.actor ? `%${likeLiteral(input.actor)}%` : null},
      ${input.actionPrefix ?? null}, ${upper}, ${input.targetType ?? null}, ${input.targetId ?? null},
      ${input.outcome ?? null}, ${input.cursor ?? null}::bigint, ${input.limit + 1}::int) AS id`,
  );
  return rows.map((r) => r.id);
}

/** Those events, read through the runtime role's row level security like every other page. */
async function readEvents(scope: TenantReadScope, ids: bigint[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  return queryRows<EventRow>(scope.db, Prisma.sql`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE tenant_id = ${scope.tenantId}::uuid AND id = ANY(${ids}::bigint[]) ORDER BY id DESC`);
}
