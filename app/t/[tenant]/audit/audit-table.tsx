"use client";
// The tenant's audit trail on the shared DataTable: the server's filters and keyset (cursor)
// pages, both in the URL; a row expands into its detail.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/components/trpc/client";
import { ListError, pagedTableState } from "@/components/query-state";
import { auditColumns, useExpandedRows } from "@/components/audit/audit-columns";
import { DataTable, useTableUrlState } from "@/components/ui/data-table";
import { AuditDetail } from "./audit-detail";
import { AuditExports } from "./audit-exports";
import { AuditFilters, filterInput } from "./audit-filters";
import { filterParams, filtersFromParams } from "./audit-url";

const PAGE_SIZE = 50;

type AuditEvent = inferRouterOutputs<AppRouter>["audit"]["list"]["items"][number];

export function AuditTable({ tenant, canExport = false }: { tenant: string; canExport?: boolean }) {
  const trpc = useTRPC();
  const url = useTableUrlState();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const { open, toggle } = useExpandedRows();
  const cursor = url.cursor && /^\d+$/.test(url.cursor) ? BigInt(url.cursor) : null;
  const query = useQuery({
    ...trpc.audit.list.queryOptions({ tenant, limit: PAGE_SIZE, cursor, ...filterInput(filters) }),
    placeholderData: keepPreviousData,
  });
  const filtered = Object.values(filters).some(Boolean);
  const cols = useMemo(() => auditColumns<AuditEvent>({ actorKind: true, ip: true, details: { open, toggle, idPrefix: "audit-detail-" } }), [open, toggle]);

  return (
    <div className="space-y-3">
      {/* The form starts from the URL's filters (a reload or a shared link shows them). */}
      <AuditFilters value={filters} onApply={(f) => url.update({ cursors: [] }, filterParams(f))} />
      {canExport ? <AuditExports tenant={tenant} filters={filters} /> : null}
      {query.isError && !query.data ? (
        <ListError error={query.error} />
      ) : (
        <DataTable
          label="Audit events"
          mode="server"
          searchable={false}
          columns={cols}
          data={query.data?.items}
          nextCursor={query.data?.nextCursor?.toString() ?? null}
          {...pagedTableState(query)}
          getRowId={(e) => e.id.toString()}
          url={url}
          empty={<span data-testid="audit-empty">{filtered ? "No events match these filters." : "No events yet."}</span>}
          rowAttributes={() => ({ "data-testid": "audit-row" })}
          renderSubRow={(e) =>
            open.has(e.id.toString()) ? (
              <div id={`audit-detail-${e.id.toString()}`}>
                <AuditDetail before={e.before} after={e.after} targetType={e.targetType} targetId={e.targetId} requestId={e.requestId} userAgent={e.userAgent} seq={e.seq} hash={e.hash} />
              </div>
            ) : null
          }
        />
      )}
    </div>
  );
}
