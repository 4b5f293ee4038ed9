// The platform half of the console: the security admins' pages (/audit, /platform-audit, /policies,
// /deletions, /users, /outbox; the route group leaves their URLs alone). The role is checked HERE,
// once for all of them: everyone else gets the frame and a notice instead of the page (the
// platform procedures behind the pages refuse them anyway). Signed-out visitors go to sign in and
// come back to the page they asked for.
import type { ReactNode } from "react";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Notice } from "@/components/ui/notice";
import { getProfile } from "../_lib/operator";
import { load } from "../_lib/page-errors";
import { currentPath } from "../_lib/request-path";

export default async function PlatformLayout({ children }: { children: ReactNode }) {
  const profile = await load(getProfile, await currentPath("/tenants"));
  const isAdmin = profile.platformRole === "security_admin";
  return (
    <>
      <AppHeader email={profile.email} badge={isAdmin ? <RoleBadge role="security_admin" testId="role-badge" /> : null} />
      <main className="mx-auto w-full max-w-7xl space-y-6 px-4 py-8 sm:px-6">
        {isAdmin ? (
          children
        ) : (
          <>
            <div>
              <p className="text-sm">
                <Link href="/tenants" className="text-indigo-700 hover:underline">
                  ← Tenants
                </Link>
              </p>
              <h1 className="mt-2 text-2xl font-semibold text-slate-900">Security admins only</h1>
            </div>
            <Notice tone="warning" testId="forbidden">
              Only platform security admins can open this page.
            </Notice>
          </>
        )}
      </main>
    </>
  );
}
