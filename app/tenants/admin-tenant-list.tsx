"use client";
// Security admins: all tenants on the shared DataTable. The server searches slug and name and pages
// by slug (keyset "after" on the unique slug index); the URL keeps search and the page's cursor.
// Deleted tenants never come back from the server (tombstones live in the deletions view only).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { pagedTableState } from "@/components/query-state";
import { formatDateTime, isoString } from "@/components/format";
import { StatusBadge } from "@/components/status-badge";
import { DataTable, useTableUrlState } from "@/components/ui/data-table";
import type { AppRouter } from "@/server/api/root";

const PAGE_SIZE = 25;

type TenantItem = inferRouterOutputs<AppRouter>["platform"]["tenants"]["list"]["items"][number];

const COLUMNS: ColumnDef<TenantItem>[] = [
  {
    id: "tenant",
    enableHiding: false,
    meta: { label: "Tenant" },
    cell: ({ row: { original: t } }) => (
      <Link href={`/t/${encodeURIComponent(t.slug)}`} className="block rounded hover:underline">
        <span className="block font-medium text-slate-900">{t.name}</span>
        <span className="block font-mono text-xs text-slate-600">{t.slug}</span>
      </Link>
    ),
  },
  {
    id: "status",
    meta: { label: "Status", className: "whitespace-nowrap" },
    // Pause and pending deletion are shown beside the tenant, not only on its own pages.
    cell: ({ row: { original: t } }) => (
      <span className="inline-flex flex-wrap gap-1" data-testid={`tenant-status-${t.slug}`}>
        <StatusBadge status={t.status} />
        {t.pausedAt ? <StatusBadge status="paused" /> : null}
      </span>
    ),
  },
  {
    id: "createdAt",
    meta: { label: "Created", className: "whitespace-nowrap text-slate-700" },
    cell: ({ row: { original: t } }) => <time dateTime={isoString(t.createdAt)}>{formatDateTime(t.createdAt)}</time>,
  },
];

export function AdminTenantList() {
  const trpc = useTRPC();
  const url = useTableUrlState();
  const search = url.search.trim();
  const query = useQuery({
    ...trpc.platform.tenants.list.queryOptions({ search: search || undefined, after: url.cursor ?? undefined, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <section aria-labelledby="all-tenants" className="min-w-0 space-y-3">
      <h2 id="all-tenants" className="text-base font-semibold text-slate-900">
        All tenants
      </h2>
      <DataTable
        label="Tenants"
        searchLabel="Search tenants"
        mode="server"
        columns={COLUMNS}
        data={query.data?.items}
        nextCursor={query.data?.nextAfter}
        {...pagedTableState(query)}
        getRowId={(t) => t.id}
        url={url}
        empty={<span data-testid="tenants-empty">No tenants yet. Create the first one.</span>}
        rowAttributes={(t) => ({ "data-testid": `tenant-row-${t.slug}` })}
      />
    </section>
  );
}
