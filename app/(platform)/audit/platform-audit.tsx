"use client";
// Every tenant's audit events (regulated tenants excluded) on the shared DataTable, paged by cursor
// with the page in the URL.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Notice } from "@/components/ui/notice";
import { DataTable, useTableUrlState } from "@/components/ui/data-table";
import { auditColumns } from "@/components/audit/audit-columns";
import { LoadingSkeleton } from "@/components/query-state";

type CrossTenantEvent = inferRouterOutputs<AppRouter>["platform"]["audit"]["tenantEvents"]["items"][number];

// Module-level: the columns never change, so the table never rebuilds them.
const COLUMNS = auditColumns<CrossTenantEvent>({ tenant: true });

export function PlatformAudit() {
  const trpc = useTRPC();
  const url = useTableUrlState();
  const cursor = url.cursor && /^\d+$/.test(url.cursor) ? BigInt(url.cursor) : null;
  const query = useQuery({ ...trpc.platform.audit.tenantEvents.queryOptions({ limit: 50, cursor }), placeholderData: keepPreviousData });
  if (query.isPending) return <LoadingSkeleton label="Loading events…" />;
  if (query.isError && !query.data) return <Notice tone="error">{errorMessage(query.error)}</Notice>;
  const regulated = query.data.regulated;
  return (
    <div className="space-y-3">
      <Notice testId="platform-audit-regulated">
        {regulated.tenants === null || regulated.eventsLast24h === null
          ? `Fewer than ${regulated.minTenants} tenants have regulated activity, so no totals are shown: a count over so few tenants would identify them. Their events never appear here.`
          : `${regulated.tenants} tenants have regulated activity and are excluded here; together they recorded ${regulated.eventsLast24h.toLocaleString("en-US")} regulated event${regulated.eventsLast24h === 1 ? "" : "s"} in the last 24 hours.`}
      </Notice>
      <DataTable
        label="Audit events of every tenant"
        mode="server"
        searchable={false}
        columns={COLUMNS}
        data={query.data.items}
        nextCursor={query.data.nextCursor?.toString() ?? null}
        isLoading={query.isFetching && query.isPlaceholderData}
        error={query.isError ? <Notice tone="error">{errorMessage(query.error)}</Notice> : undefined}
        getRowId={(e) => e.id.toString()}
        url={url}
        empty="No events."
        rowAttributes={() => ({ "data-testid": "platform-audit-row" })}
      />
    </div>
  );
}
