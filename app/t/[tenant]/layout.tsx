// The tenant shell: resolves the tenant of the path (or shows not-found), then the top bar,
// the sidebar of sections the role may open, and the support-access notice.
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { TenantNav, type NavItem } from "@/components/tenant-nav";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/components/format";
import { getMyTenants, getProfile } from "../../_lib/operator";
import { load } from "../../_lib/page-errors";
import { getTenantOverview } from "../../_lib/tenant";
import { currentPathUnder } from "../../_lib/request-path";
import { PendingDeletion } from "@/components/deletion/pending-deletion";
import { TenantLockProvider } from "@/components/tenant-lock";
import { TENANT_LOCK_REASON_ID } from "@/components/tenant-lock-id";

/** Page titles name the tenant: "API keys · acme · Credo Console" (the pages set the first part). */
export async function generateMetadata({ params }: { params: Promise<{ tenant: string }> }): Promise<Metadata> {
  const { tenant } = await params;
  return { title: { template: `%s · ${tenant} · Credo Console`, default: `${tenant} · Credo Console` } };
}

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  // The page asked for (e.g. /t/acme/keys), so signing in (and the second factor) comes back to it.
  const here = await currentPathUnder(`/t/${encodeURIComponent(tenant)}`);
  const [overview, profile, mine] = await Promise.all([
    getTenantOverview(tenant),
    load(getProfile, here),
    load(getMyTenants, here),
  ]);

  const base = `/t/${encodeURIComponent(overview.slug)}`;
  const nav: NavItem[] = [{ href: base, label: "Overview" }];
  if (overview.permissions.includes("members.read")) nav.push({ href: `${base}/members`, label: "Members" });
  if (overview.permissions.includes("keys.read")) nav.push({ href: `${base}/keys`, label: "Signing keys" });
  if (overview.permissions.includes("apikeys.manage")) nav.push({ href: `${base}/api-keys`, label: "API keys" });
  if (overview.permissions.includes("clients.read")) nav.push({ href: `${base}/clients`, label: "Clients" });
  if (overview.permissions.includes("policies.read")) nav.push({ href: `${base}/policies`, label: "Policies" });
  if (overview.permissions.includes("ratelimits.read")) nav.push({ href: `${base}/rate-limits`, label: "Rate limits" });
  if (overview.permissions.includes("audit.read")) nav.push({ href: `${base}/audit`, label: "Audit" });
  if (overview.permissions.includes("usage.read")) nav.push({ href: `${base}/usage`, label: "Usage" });
  if (overview.permissions.includes("backup.export") || overview.permissions.includes("backup.restore")) nav.push({ href: `${base}/backup`, label: "Backup & restore" });
  if (overview.permissions.includes("tenant.delete")) nav.push({ href: `${base}/delete`, label: "Delete tenant" });
  // Pending deletion (server/deletion/): every section is closed; all members see the pending page.
  const pendingDeletion = overview.status === "pending_deletion";

  // Paused: owners and members can look but not change anything (security admins can remediate).
  const lockReason =
    overview.pause && overview.role !== "security_admin"
      ? `Paused by a security admin since ${formatDateTime(overview.pause.pausedAt)} (${overview.pause.reason}): changes are blocked until it is resumed.`
      : null;

  const thisTenant = { slug: overview.slug, name: overview.name, status: overview.status, paused: overview.pause !== null };
  const switcher = mine.some((t) => t.slug === overview.slug) ? mine : [thisTenant, ...mine];

  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader email={profile.email} badge={<RoleBadge role={overview.role} testId="role-badge" />}>
        <TenantSwitcher current={overview.slug} tenants={switcher.map((t) => ({ slug: t.slug, name: t.name, status: t.status, paused: t.paused }))} />
      </AppHeader>
      {overview.pause ? (
        <div className="px-4 pt-4 sm:px-6">
          <Notice tone="warning" testId="paused-banner">
            <span id={TENANT_LOCK_REASON_ID}>
              <strong>Paused</strong> by a security admin since {formatDateTime(overview.pause.pausedAt)} — {overview.pause.reason}.{" "}
              {lockReason
                ? "API keys and public endpoints are refused and changes are blocked (their buttons are disabled) until it is resumed."
                : "API keys and public endpoints are refused until it is resumed; security admins can still make changes."}
            </span>
          </Notice>
        </div>
      ) : null}
      {pendingDeletion ? (
        <div className="px-4 pt-4 sm:px-6">
          <Notice tone="error" testId="pending-deletion-banner">
            <strong>Scheduled for deletion.</strong> This tenant&apos;s console, API keys and public endpoints are closed until the deletion
            is cancelled or carried out.
          </Notice>
        </div>
      ) : null}
      {overview.role === "support" && overview.accessExpiresAt ? (
        <div className="px-4 pt-4 sm:px-6">
          <Notice tone="warning" testId="support-notice">
            Read-only support access until {formatDateTime(overview.accessExpiresAt)}
          </Notice>
        </div>
      ) : null}
      <div className="flex flex-1 flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row">
        <aside className="md:w-52 md:shrink-0">
          <p className="mb-2 hidden truncate px-3 text-xs font-semibold uppercase tracking-wide text-slate-500 md:block" title={overview.name}>
            {overview.name}
          </p>
          <TenantNav items={pendingDeletion ? [nav[0]!] : nav} />
        </aside>
        <main className="min-w-0 flex-1">
          <TenantLockProvider reason={lockReason}>
            {pendingDeletion ? <PendingDeletion tenant={overview.slug} name={overview.name} permissions={overview.permissions} /> : children}
          </TenantLockProvider>
        </main>
      </div>
    </div>
  );
}
