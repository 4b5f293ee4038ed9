// The console's e-mails. Plain text first (every client shows it); the link is on its own line.
import type { MailMessage } from "./send";
import { consoleLink } from "./send";
import { logger, scrubText } from "../observability/logger";

function html(lines: string[], link: string, label: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<div style="font-family:system-ui,sans-serif;font-size:14px;line-height:1.5">${lines.map((l) => `<p>${esc(l)}</p>`).join("")}<p><a href="${esc(link)}">${esc(label)}</a></p></div>`;
}

export function invitationMail(p: { to: string; token: string; what: string; expiresAt: Date; inviter: string }): MailMessage {
  const link = consoleLink(`/invite/${p.token}`);
  const lines = [
    `${p.inviter} invited you to ${p.what} on Credo Console.`,
    `Open the link to accept. It works once and expires on ${p.expiresAt.toUTCString()}.`,
    "If you did not expect this invitation, ignore this e-mail.",
  ];
  return { to: p.to, subject: `Invitation to ${p.what}`, text: `${lines.join("\n\n")}\n\n${link}\n`, html: html(lines, link, "Accept the invitation") };
}

export function passwordResetMail(p: { to: string; token: string; expiresAt: Date; forced: boolean }): MailMessage {
  const link = consoleLink(`/reset-password/${p.token}`);
  const lines = [
    p.forced
      ? "A security admin requires you to choose a new password for Credo Console. Your sessions have been signed out."
      : "Someone asked to reset the password of your Credo Console account.",
    `Open the link to choose a new password. It works once and expires on ${p.expiresAt.toUTCString()}.`,
    p.forced ? "Until you do, you cannot sign in with a password." : "If it was not you, ignore this e-mail: your password stays as it is.",
  ];
  return { to: p.to, subject: "Reset your Credo Console password", text: `${lines.join("\n\n")}\n\n${link}\n`, html: html(lines, link, "Choose a new password") };
}

/**
 * Sends after the transaction committed and after the current request has answered: the work starts on
 * the next turn of the event loop (setImmediate), so nothing it does — not even its first statement —
 * can shape the response (password reset: whether the address is known must not show in the answer or
 * its timing). Failures are logged without the message (it holds a token).
 */
export function deliverLater(send: () => Promise<void>, what: string): void {
  setImmediate(() => void send().catch((e: unknown) => logger.error({ error: scrubText(e instanceof Error ? e.message : String(e)) }, `${what} e-mail could not be sent`)));
}
