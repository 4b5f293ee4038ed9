// Recognising database errors through Prisma's driver-adapter error shapes.
export function isUniqueViolation(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const err = e as { code?: string; cause?: unknown; meta?: { code?: string } };
  if (err.code === "P2002" || err.code === "23505" || err.meta?.code === "23505") return true;
  // $queryRaw (e.g. a credo_* function call) reports it as P2010 "Raw query failed. Code: `23505`".
  if (err.code === "P2010" && /Code: `23505`/.test(String((e as { message?: unknown }).message))) return true;
  return err.cause ? isUniqueViolation(err.cause) : false;
}
