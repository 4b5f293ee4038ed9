// The tenant shell: resolves the tenant of the path (or shows not-found), then the top bar,
// the sidebar of sections the role may open, and the support-access notice.
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

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const here = `/t/${encodeURIComponent(tenant)}`;
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
  if (overview.permissions.includes("audit.read")) nav.push({ href: `${base}/audit`, label: "Audit" });

  const switcher = mine.some((t) => t.slug === overview.slug) ? mine : [{ slug: overview.slug, name: overview.name }, ...mine];

  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader email={profile.email} badge={<RoleBadge role={overview.role} testId="role-badge" />}>
        <TenantSwitcher current={overview.slug} tenants={switcher.map((t) => ({ slug: t.slug, name: t.name }))} />
      </AppHeader>
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
          <TenantNav items={nav} />
        </aside>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
