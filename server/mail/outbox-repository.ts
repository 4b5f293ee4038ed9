// Platform repository: the dev outbox (dev_outbox_messages), where mail goes when no SMTP_URL is set.
// Call these inside an onPlatform transaction (or the caller's own, so a mail is kept only if it commits).
import type { Db } from "../db/doors";

/**
 * createMany: no RETURNING, which a tenant transaction could not read back (the outbox is readable
 * on the platform door only).
 */
export async function keepInOutbox(db: Db, message: { to: string; subject: string; text: string; html: string | null }): Promise<void> {
  await db.devOutboxMessage.createMany({ data: [message] });
}

/** The newest `limit` messages, newest first. */
export function newestOutboxMessages(db: Db, limit: number) {
  return db.devOutboxMessage.findMany({ select: { id: true, to: true, subject: true, text: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: limit });
}
