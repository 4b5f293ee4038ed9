// The frame of the security admins' platform pages (/audit, /policies, /deletions): header, a
// way back to the tenant list, title and explanation, and the content for security admins only —
// everyone else gets a notice instead (the procedures behind refuse them anyway).
import type { ReactNode } from "react";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Notice } from "@/components/ui/notice";
import { getProfile } from "./operator";
import { load } from "./page-errors";

export async function PlatformPage({
  path,
  title,
  intro,
  forbidden,
  children,
}: {
  path: string;
  title: string;
  intro: ReactNode;
  /** What non-admins read instead of the content. */
  forbidden: string;
  children: ReactNode;
}) {
  const profile = await load(getProfile, path);
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
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">{title}</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">{intro}</p>
        </div>
        {isAdmin ? (
          children
        ) : (
          <Notice tone="warning" testId="forbidden">
            {forbidden}
          </Notice>
        )}
      </main>
    </>
  );
}
