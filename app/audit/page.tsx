import type { Metadata } from "next";
import { PlatformPage } from "../_lib/platform-page";
import { PlatformAudit } from "./platform-audit";

export const metadata: Metadata = { title: "Platform audit trail" };

/** Security admins: recent audit events across tenants (platform.audit.read). */
export default function PlatformAuditPage() {
  return (
    <PlatformPage
      path="/audit"
      title="Platform audit trail"
      intro={
        <>
          Recent events of every tenant, newest first. Tenants in regulated mode, and every event recorded while a tenant was in regulated mode, never
          appear here (ADR-003): only anonymous totals, and only when at least five tenants contribute. Open a tenant for its full trail, filters, exports and integrity check.
        </>
      }
      forbidden="Only platform security admins can see the audit trail across tenants."
    >
      <PlatformAudit />
    </PlatformPage>
  );
}
