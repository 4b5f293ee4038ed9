import type { Metadata } from "next";
import { PlatformPage } from "../../_lib/platform-page";
import { OutboxList } from "./outbox-list";

export const metadata: Metadata = { title: "E-mail outbox", referrer: "no-referrer" };

/** Security admins: e-mail kept by the console when no SMTP server is configured (SMTP_URL unset). */
export default function OutboxPage() {
  return (
    <PlatformPage
      title="E-mail outbox"
      intro="Without an SMTP server (SMTP_URL), the console keeps its e-mail here instead of sending it: invitations and password reset links. Each link works once; treat them like passwords."
    >
      <OutboxList />
    </PlatformPage>
  );
}
