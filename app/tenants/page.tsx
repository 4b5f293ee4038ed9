import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { getMyTenants, getProfile } from "../_lib/operator";
import { load } from "../_lib/page-errors";
import { AdminTenantList } from "./admin-tenant-list";
import { CreateTenantForm } from "./create-tenant-form";
import { MemberTenantList } from "./member-tenant-list";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage() {
  const profile = await load(getProfile, "/tenants");
  const isAdmin = profile.platformRole === "security_admin";
  const mine = isAdmin ? null : await load(getMyTenants, "/tenants");

  return (
    <>
      <AppHeader email={profile.email} badge={isAdmin ? <RoleBadge role="security_admin" testId="role-badge" /> : null} />
      <main className="mx-auto w-full max-w-5xl space-y-6 px-4 py-8 sm:px-6">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Tenants</h1>
          <p className="mt-1 text-sm text-slate-600">
            {isAdmin ? "Every tenant on the platform. As a security admin you can open and provision any of them." : "The tenants you have access to."}
          </p>
          {isAdmin ? (
            <p className="mt-2 text-sm">
              <Link href="/policies" className="font-medium text-indigo-700 hover:underline" data-testid="global-policies-link">
                Global policy defaults
              </Link>{" "}
              <span className="text-slate-600">— what every tenant inherits.</span>
              <span className="text-slate-400"> · </span>
              <Link href="/audit" className="font-medium text-indigo-700 hover:underline" data-testid="platform-audit-link">
                Platform audit trail
              </Link>{" "}
              <span className="text-slate-600">— recent events across tenants.</span>
              <span className="text-slate-400"> · </span>
              <Link href="/deletions" className="font-medium text-indigo-700 hover:underline" data-testid="deletions-link">
                Tenant deletions
              </Link>{" "}
              <span className="text-slate-600">— grace periods, purge progress, receipts.</span>
              <span className="text-slate-400"> · </span>
              <Link href="/users" className="font-medium text-indigo-700 hover:underline" data-testid="users-link">
                Users
              </Link>{" "}
              <span className="text-slate-600">— console accounts and invitations.</span>
              <span className="text-slate-400"> · </span>
              <Link href="/outbox" className="font-medium text-indigo-700 hover:underline" data-testid="outbox-link">
                E-mail outbox
              </Link>
            </p>
          ) : null}
        </div>
        {isAdmin ? (
          <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
            <AdminTenantList />
            <CreateTenantForm />
          </div>
        ) : (
          <MemberTenantList tenants={mine ?? []} />
        )}
      </main>
    </>
  );
}
