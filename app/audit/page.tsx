import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Notice } from "@/components/ui/notice";
import { getProfile } from "../_lib/operator";
import { load } from "../_lib/page-errors";
import { PlatformAudit } from "./platform-audit";

export const metadata: Metadata = { title: "Platform audit trail" };

/** Security admins: recent audit events across tenants (platform.audit.read). */
export default async function PlatformAuditPage() {
  const profile = await load(getProfile, "/audit");
  const isAdmin = profile.platformRole === "security_admin";
  return (
    <>
      <AppHeader email={profile.email} badge={isAdmin ? <RoleBadge role="security_admin" testId="role-badge" /> : null} />
      <main className="mx-auto w-full max-w-7xl space-y-6 px-4 py-8 sm:px-6">
        <div>
          <p className="text-sm">
            <Link href="/tenants" className="text-indigo-700 hover:underline">
              ← Tenants
            </Link>
          </p>
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Platform audit trail</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Recent events of every tenant, newest first. Tenants in regulated mode never appear here (ADR-003): only how many there are and
            how many events they recorded. Open a tenant for its full trail, filters, exports and integrity check.
          </p>
        </div>
        {isAdmin ? (
          <PlatformAudit />
        ) : (
          <Notice tone="warning" testId="forbidden">
            Only platform security admins can see the audit trail across tenants.
          </Notice>
        )}
      </main>
    </>
  );
}
