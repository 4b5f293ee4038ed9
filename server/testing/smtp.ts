// A real SMTP server for tests (the smtp-server package): the application sends through nodemailer
// exactly as in production, and tests read what arrived. Used by vitest (startTestSmtp) and by the
// e2e server (server/cli/e2e-server.ts), which also writes each message to a folder Playwright reads.
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The decoded text part's content (quoted-printable/base64 undone). */
  text: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** Waits for the first message to `to` that arrived after `since` messages (default: any). */
  waitFor(to: string, opts?: { timeoutMs?: number; since?: number }): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export function decodeMessage(raw: string): string {
  const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join("\n\n");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(raw)) {
    body = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  } else if (/content-transfer-encoding:\s*base64/i.test(head)) {
    body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return body;
}

/** The console link (path + token) in a received message. */
export function linkIn(text: string, kind: "invite" | "reset-password"): string {
  const m = text.match(new RegExp(`https?://[^\\s"<>]+/${kind}/([A-Za-z0-9_-]{43})`));
  if (!m) throw new Error(`no ${kind} link in the message`);
  return m[0];
}

export async function startTestSmtp(onMessage?: (m: ReceivedMail) => void): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail = { to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, text: decodeMessage(raw) };
        received.push(mail);
        onMessage?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(to, opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
      for (;;) {
        const hit = received.slice(opts.since ?? 0).find((m) => m.to.includes(to.toLowerCase()));
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no e-mail to ${to} arrived`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
