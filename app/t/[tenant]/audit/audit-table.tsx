"use client";
// The tenant's audit trail on the shared DataTable: the server's filters and keyset (cursor)
// pages, both in the URL; a row expands into its detail.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/time";
import { AuditDetail } from "./audit-detail";
import { AuditExports } from "./audit-exports";
import { AuditFilters, filterInput } from "./audit-filters";
import { filterParams, filtersFromParams } from "./audit-url";

const PAGE_SIZE = 50;

type AuditEvent = inferRouterOutputs<AppRouter>["audit"]["list"]["items"][number];

function columns(open: ReadonlySet<string>, toggle: (id: string) => void): ColumnDef<AuditEvent>[] {
  return [
    {
      id: "time",
      enableHiding: false,
      meta: { label: "Time", className: "whitespace-nowrap text-slate-600" },
      cell: ({ row: { original: e } }) => <RelativeTime at={e.occurredAt} />,
    },
    {
      id: "actor",
      meta: { label: "Actor", className: "text-slate-900" },
      cell: ({ row: { original: e } }) => (
        <>
          {e.actorLabel ?? e.actorType}
          {e.actorLabel && e.actorType !== "user" && e.actorLabel !== e.actorType ? <span className="ml-1 text-xs text-slate-500">({e.actorType})</span> : null}
        </>
      ),
    },
    {
      id: "action",
      enableHiding: false,
      meta: { label: "Action", className: "font-mono text-slate-900" },
      cell: ({ row: { original: e } }) => (
        <>
          {e.action}
          {e.outcome !== "success" ? <span className="ml-2 font-sans text-xs text-red-700">{e.outcome}</span> : null}
        </>
      ),
    },
    {
      id: "target",
      meta: { label: "Target", className: "max-w-56 truncate text-slate-700" },
      cell: ({ row: { original: e } }) => (
        <span title={e.targetId ?? undefined}>
          {e.targetType}
          {e.targetId ? <span className="ml-1 font-mono text-xs text-slate-500">{e.targetId}</span> : null}
        </span>
      ),
    },
    { id: "ip", meta: { label: "IP", className: "whitespace-nowrap font-mono text-xs text-slate-600" }, cell: ({ row }) => row.original.ip ?? "—" },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Details" },
      cell: ({ row: { original: e } }) => {
        const id = e.id.toString();
        const expanded = open.has(id);
        return (
          <Button variant="ghost" className="py-1" aria-expanded={expanded} aria-controls={`audit-detail-${id}`} onClick={() => toggle(id)}>
            {expanded ? "Hide" : "Details"}
            <span className="sr-only"> for event {id}</span>
          </Button>
        );
      },
    },
  ];
}

export function AuditTable({ tenant, canExport = false }: { tenant: string; canExport?: boolean }) {
  const trpc = useTRPC();
  const url = useTableUrlState();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const cursor = url.cursor && /^\d+$/.test(url.cursor) ? BigInt(url.cursor) : null;
  const query = useQuery({
    ...trpc.audit.list.queryOptions({ tenant, limit: PAGE_SIZE, cursor, ...filterInput(filters) }),
    placeholderData: keepPreviousData,
  });
  const filtered = Object.values(filters).some(Boolean);
  const cols = useMemo(
    () =>
      columns(open, (id) =>
        setOpen((prev) => {
          const next = new Set(prev);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        }),
      ),
    [open],
  );

  return (
    <div className="space-y-3">
      {/* The form starts from the URL's filters (a reload or a shared link shows them). */}
      <AuditFilters value={filters} onApply={(f) => url.update({ cursors: [] }, filterParams(f))} />
      {canExport ? <AuditExports tenant={tenant} filters={filters} /> : null}
      {query.isError && !query.data ? (
        <Notice tone="error" testId="list-error">
          {errorMessage(query.error)}
        </Notice>
      ) : (
        <DataTable
          label="Audit events"
          mode="server"
          searchable={false}
          columns={cols}
          data={query.data?.items}
          nextCursor={query.data?.nextCursor?.toString() ?? null}
          isLoading={query.isPending || (query.isFetching && query.isPlaceholderData)}
          error={query.isError ? <Notice tone="error" testId="list-error">{errorMessage(query.error)}</Notice> : undefined}
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
