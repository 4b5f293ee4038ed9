// Reading the console's e-mail in e2e tests. PostgreSQL project: the e2e server's real SMTP server
// writes each message to e2eMailDir(). Embedded project (no SMTP_URL): a security admin reads the
// dev outbox page, in a browser context of its own.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { expect, type Browser, type TestInfo } from "@playwright/test";
import { e2eMailDir } from "./mail-dir";
import { signIn } from "./helpers";

/**
 * The path (+ token) of the newest /invite/… or /reset-password/… link e-mailed to `to` — only in a
 * message whose text contains `mentioning` when given (e.g. the tenant's name, for an address that
 * receives invitations from several runs).
 */
export async function mailedLink(browser: Browser, testInfo: TestInfo, to: string, kind: "invite" | "reset-password", mentioning?: string): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+(/${kind}/[A-Za-z0-9_-]{43})`);
  if (testInfo.project.name === "postgres") {
    const dir = e2eMailDir();
    let found: string | null = null;
    await expect
      .poll(
        () => {
          if (!existsSync(dir)) return null;
          for (const f of readdirSync(dir).sort().reverse()) {
            const m = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { to: string[]; text: string };
            const hit = m.to.includes(to.toLowerCase()) && (!mentioning || m.text.includes(mentioning)) ? pattern.exec(m.text) : null;
            if (hit) return (found = hit[1]!);
          }
          return null;
        },
        { message: `an e-mail to ${to} with a ${kind} link`, timeout: 15_000 },
      )
      .not.toBeNull();
    return found!;
  }
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    await signIn(page, "admin");
    await page.goto("/outbox");
    let message = page.getByTestId("outbox-message").filter({ hasText: `To ${to.toLowerCase()}` });
    if (mentioning) message = message.filter({ hasText: mentioning });
    message = message.first();
    await expect(message).toBeVisible();
    const href = await message.getByTestId("outbox-link").first().getAttribute("href");
    const m = href ? new RegExp(`^/${kind}/[A-Za-z0-9_-]{43}$`).exec(href) : null;
    if (!m) throw new Error(`no ${kind} link in the outbox message to ${to}`);
    return m[0];
  } finally {
    await ctx.close();
  }
}
