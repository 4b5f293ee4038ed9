import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Notice } from "@/components/ui/notice";
import { getProfile } from "../_lib/operator";
import { load } from "../_lib/page-errors";
import { GlobalPolicies } from "./global-policies";

export const metadata: Metadata = { title: "Global policy defaults" };

/** Security admins: the defaults every tenant inherits (platform.policies.manage). */
export default async function GlobalPoliciesPage() {
  const profile = await load(getProfile, "/policies");
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
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Global policy defaults</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            The values every tenant inherits unless it overrides them. Values not set here are the built-in defaults. Changes apply to every
            inheriting tenant at once; each save is a new version with a comment.
          </p>
        </div>
        {isAdmin ? (
          <GlobalPolicies />
        ) : (
          <Notice tone="warning" testId="forbidden">
            Only platform security admins can see and change the global policy defaults.
          </Notice>
        )}
      </main>
    </>
  );
}
