// Outgoing e-mail. With SMTP_URL: nodemailer to that server. Without it (embedded `npm run dev`):
// the dev outbox table, which security admins read in the console (/outbox). Message bodies carry
// single-use links, so they are never logged.
//
// Callers inside a transaction pass its `db`: the outbox row is then part of that transaction (on
// embedded PostgreSQL a second connection must not be awaited inside one), and an SMTP failure
// rolls the change back — no invitation exists whose e-mail was never sent.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";
import { onPlatform, type Db } from "../db/doors";
import { keepInOutbox } from "./outbox-repository";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

let transport: { url: string; t: Transporter } | null = null;
function smtp(url: string): Transporter {
  // Bounded, so a silent mail server cannot hold a database transaction open for minutes.
  if (transport?.url !== url) transport = { url, t: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 }) };
  return transport.t;
}

export function mailDelivery(): "smtp" | "outbox" {
  return smtpUrl() ? "smtp" : "outbox";
}

// Read per call: tests point env.SMTP_URL at the SMTP server they started (server/testing/smtp.ts).
function smtpUrl(): string | undefined {
  return env.SMTP_URL;
}

export async function sendMail(message: MailMessage, opts: { db?: Db } = {}): Promise<void> {
  const url = smtpUrl();
  if (url) {
    await smtp(url).sendMail({ from: env.MAIL_FROM, to: message.to, subject: message.subject, text: message.text, html: message.html });
    return;
  }
  const keep = (db: Db) => keepInOutbox(db, { to: message.to, subject: message.subject.slice(0, 300), text: message.text, html: message.html ?? null });
  await (opts.db ? keep(opts.db) : onPlatform(keep));
}

/** Absolute link to a console path for e-mails: AUTH_URL's origin, else the local default. */
export function consoleLink(path: string): string {
  const origin = env.AUTH_URL ? new URL(env.AUTH_URL).origin : `http://localhost:${process.env.PORT ?? "3000"}`;
  return new URL(path, origin).toString();
}
