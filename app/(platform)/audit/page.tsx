import type { Metadata } from "next";
import Link from "next/link";
import { PlatformPage } from "../../_lib/platform-page";
import { PlatformAudit } from "./platform-audit";

export const metadata: Metadata = { title: "Platform audit trail" };

/** Security admins: recent audit events across tenants (platform.audit.read). */
export default function PlatformAuditPage() {
  return (
    <PlatformPage
      title="Platform audit trail"
      intro={
        <>
          Recent events of every tenant, newest first. Tenants in regulated mode, and every event recorded while a tenant was in regulated mode, never
          appear here: only anonymous totals, and only when at least five tenants contribute. Open a tenant for its full trail, filters, exports and
          integrity check. Sign-ins, sessions, accounts, global policies and tenant deletions are in the{" "}
          <Link href="/platform-audit" className="text-indigo-700 underline hover:text-indigo-900" data-testid="platform-audit-link">
            platform audit stream
          </Link>
          .
        </>
      }
    >
      <PlatformAudit />
    </PlatformPage>
  );
}
