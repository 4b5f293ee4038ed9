import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Notice } from "@/components/ui/notice";
import { getProfile } from "../_lib/operator";
import { load } from "../_lib/page-errors";
import { DeletionsPanel } from "./deletions-panel";

export const metadata: Metadata = { title: "Tenant deletions" };

/** Security admins: every tenant deletion, purge progress, grace shortening, receipts. */
export default async function DeletionsPage() {
  const profile = await load(getProfile, "/deletions");
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
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Tenant deletions</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Deletions in their grace period, purges in progress (refreshed every few seconds) and completed deletions with their signed
            receipts (verify one with <code>npm run receipt:verify -- receipt.json</code>).
          </p>
        </div>
        {isAdmin ? (
          <DeletionsPanel />
        ) : (
          <Notice tone="warning" testId="forbidden">
            Only platform security admins can see tenant deletions.
          </Notice>
        )}
      </main>
    </>
  );
}
