// Platform repository: the platform audit stream (read side; writes are in server/audit/platform-record.ts).
// Same filters and keyset paging as a tenant's trail (server/audit/repository.ts).
import { likeLiteral } from "../lists/like";
import type { Prisma } from "../db/generated/client";
import type { Db } from "../db/doors";
import type { AuditPageInput } from "./repository";

const select = {
  id: true,
  seq: true,
  occurredAt: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  subjectTenantId: true,
  outcome: true,
  details: true,
  ip: true,
  userAgent: true,
  requestId: true,
  hash: true,
} as const;

export function platformAuditWhere(f: AuditPageInput): Prisma.PlatformAuditEventWhereInput {
  const and: Prisma.PlatformAuditEventWhereInput[] = [];
  if (f.from || f.to) and.push({ occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } });
  if (f.actor) and.push({ OR: [{ actorId: f.actor }, { actorLabel: { contains: likeLiteral(f.actor), mode: "insensitive" } }] });
  if (f.actionPrefix) and.push({ action: { startsWith: f.actionPrefix } });
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
        { actorLabel: { contains: t, mode: "insensitive" } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

export async function listPlatformAuditEvents(db: Db, input: AuditPageInput) {
  const rows = await db.platformAuditEvent.findMany({
    where: { ...platformAuditWhere(input), ...(input.cursor ? { id: { lt: input.cursor } } : {}) },
    select,
    orderBy: { id: "desc" },
    take: input.limit + 1,
  });
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const items = page.map(({ hash, ...e }) => ({ ...e, hash: Buffer.from(hash).toString("hex") }));
  return { items, nextCursor: hasMore ? page[page.length - 1]!.id : null };
}
