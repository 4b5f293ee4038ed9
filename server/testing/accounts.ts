// Accounts tests: a real SMTP server the application sends to, and readers for what arrived.
import { env } from "../env";
import { linkIn, startTestSmtp, type TestSmtp } from "./smtp";
import { resetMailLimiters } from "../accounts/mail-throttle";

/** Starts an SMTP server and points the application's e-mail at it (call in beforeAll). */
export async function useTestSmtp(): Promise<TestSmtp> {
  const smtp = await startTestSmtp();
  env.SMTP_URL = smtp.url;
  await resetMailLimiters();
  return smtp;
}

/** Waits for the next message to `to` (after `since` messages) and returns the token of its link. */
export async function tokenFromMail(smtp: TestSmtp, to: string, kind: "invite" | "reset-password", since = 0): Promise<string> {
  const mail = await smtp.waitFor(to, { since });
  return new URL(linkIn(mail.text, kind)).pathname.split("/").pop()!;
}
