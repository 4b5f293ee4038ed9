"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { Fragment, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { formatDateTime, isoString } from "@/components/format";
import { AuditDetail } from "./audit-detail";
import { AuditExports } from "./audit-exports";
import { AuditFilters, filterInput, filtersFromSearch, filtersToSearch, type AuditFilterValues } from "./audit-filters";
import { th, tdTop as td } from "@/components/ui/table";

const PAGE_SIZE = 50;

export function AuditTable({ tenant, canExport = false }: { tenant: string; canExport?: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  // The applied filters start from the URL and are written back to it (reload and shared links
  // keep them) with the browser's replaceState: no server round trip, and the state changes in the
  // same event, so the old rows never stay on screen under the new filters.
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [filters, setFilterState] = useState<AuditFilterValues>(() => filtersFromSearch(searchParams));
  const setFilters = (f: AuditFilterValues) => {
    setFilterState(f);
    const q = filtersToSearch(f);
    window.history.replaceState(null, "", q ? `${pathname}?${q}` : pathname);
  };
  const query = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ tenant, limit: PAGE_SIZE, ...filterInput(filters) }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const filtered = Object.values(filters).some(Boolean);
  const bar = (
    <>
      <AuditFilters key={filtersToSearch(filters)} value={filters} onApply={setFilters} />
      {canExport ? <AuditExports tenant={tenant} filters={filters} /> : null}
    </>
  );

  if (query.isPending) return <div className="space-y-3">{bar}<p className="text-sm text-slate-500">Loading events…</p></div>;
  if (query.isError)
    return (
      <div className="space-y-3">
        {bar}
        <Notice tone="error" testId="list-error">{errorMessage(query.error)}</Notice>
      </div>
    );

  const events = query.data.pages.flatMap((p) => p.items);
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="space-y-3">
      {bar}
      <Card className="overflow-x-auto">
        {events.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-600" data-testid="audit-empty">
            {filtered ? "No events match these filters." : "No events yet."}
          </p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={th}>Time</th>
                <th scope="col" className={th}>Actor</th>
                <th scope="col" className={th}>Action</th>
                <th scope="col" className={th}>Target</th>
                <th scope="col" className={th}>IP</th>
                <th scope="col" className={th}><span className="sr-only">Details</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => {
                const id = e.id.toString();
                const expanded = open.has(id);
                const detailId = `audit-detail-${id}`;
                return (
                  <Fragment key={id}>
                    <tr data-testid="audit-row">
                      <td className={`${td} whitespace-nowrap text-slate-600`}>
                        <time dateTime={isoString(e.occurredAt)}>{formatDateTime(e.occurredAt)}</time>
                      </td>
                      <td className={`${td} text-slate-900`}>
                        {e.actorLabel ?? e.actorType}
                        {e.actorLabel && e.actorType !== "user" && e.actorLabel !== e.actorType ? <span className="ml-1 text-xs text-slate-500">({e.actorType})</span> : null}
                      </td>
                      <td className={`${td} font-mono text-slate-900`}>
                        {e.action}
                        {e.outcome !== "success" ? <span className="ml-2 font-sans text-xs text-red-700">{e.outcome}</span> : null}
                      </td>
                      <td className={`${td} max-w-56 truncate text-slate-700`} title={e.targetId ?? undefined}>
                        {e.targetType}
                        {e.targetId ? <span className="ml-1 font-mono text-xs text-slate-500">{e.targetId}</span> : null}
                      </td>
                      <td className={`${td} whitespace-nowrap font-mono text-xs text-slate-600`}>{e.ip ?? "—"}</td>
                      <td className={`${td} text-right`}>
                        <Button variant="ghost" className="py-1" aria-expanded={expanded} aria-controls={detailId} onClick={() => toggle(id)}>
                          {expanded ? "Hide" : "Details"}
                          <span className="sr-only"> for event {id}</span>
                        </Button>
                      </td>
                    </tr>
                    {expanded ? (
                      <tr id={detailId}>
                        <td colSpan={6} className="bg-slate-50 px-3 py-3">
                          <AuditDetail before={e.before} after={e.after} requestId={e.requestId} userAgent={e.userAgent} seq={e.seq} hash={e.hash} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
