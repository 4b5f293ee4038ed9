// Recognising database errors through Prisma's driver-adapter error shapes.
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as { code?: string; cause?: unknown; meta?: { code?: string } };
  if (err.code === "P2002" || err.code === "23505" || err.meta?.code === "23505") return true;
  return err.cause ? isUniqueViolation(err.cause) : false;
}
