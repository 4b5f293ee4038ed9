"use client";
// The platform audit stream for security admins: the same filters and paging as a tenant's audit
// page, an on-demand integrity check against the signed checkpoints, and a checkpoint button.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useSearchParams } from "next/navigation";
import { useMemo } from "react";
import type { AppRouter } from "@/server/api/root";
import { AuditFilters, filterInput } from "@/app/t/[tenant]/audit/audit-filters";
import { filterParams, filtersFromParams } from "@/app/t/[tenant]/audit/audit-url";
import { auditColumns, useExpandedRows } from "@/components/audit/audit-columns";
import { DataTable, useTableUrlState } from "@/components/ui/data-table";
import { formatDateTime } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ListError, pagedTableState } from "@/components/query-state";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";

const PAGE_SIZE = 50;

type PlatformEvent = inferRouterOutputs<AppRouter>["platform"]["audit"]["list"]["items"][number];

function Integrity() {
  const trpc = useTRPC();
  // Only on demand: a full walk reads every event of the stream.
  const check = useQuery({ ...trpc.platform.audit.verify.queryOptions(), enabled: false, gcTime: 0 });
  const checkpoint = useMutation(trpc.platform.audit.checkpoint.mutationOptions());
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => void check.refetch()} disabled={check.isFetching} data-testid="platform-audit-verify">
          {check.isFetching ? "Verifying…" : "Verify integrity"}
        </Button>
        <Button variant="secondary" onClick={() => checkpoint.mutate()} disabled={checkpoint.isPending} data-testid="platform-audit-checkpoint">
          Record signed checkpoint
        </Button>
      </div>
      {check.isError ? (
        <Notice tone="error" testId="platform-audit-verify-result">
          {errorMessage(check.error)}
        </Notice>
      ) : check.data ? (
        <Notice tone={check.data.intact ? "info" : "error"} testId="platform-audit-verify-result">
          {check.data.intact ? "✓ " : "✗ Tampering detected — "}
          {check.data.message}
          {check.data.latestCheckpoint ? ` Newest signed checkpoint: event ${check.data.latestCheckpoint.seq}, ${formatDateTime(check.data.latestCheckpoint.at)}.` : ""}
        </Notice>
      ) : (
        <p className="text-xs text-slate-500">Each event is hash-chained to the one before it; verification recomputes the chain and checks it against the signed checkpoints.</p>
      )}
      {checkpoint.isError ? <Notice tone="error">{errorMessage(checkpoint.error)}</Notice> : null}
      {checkpoint.data ? (
        <Notice tone="info" testId="platform-audit-checkpoint-result">
          {checkpoint.data.created ? `Checkpoint signed at event ${checkpoint.data.seq}.` : checkpoint.data.seq ? `Nothing new since the checkpoint at event ${checkpoint.data.seq}.` : "The stream is empty."}
        </Notice>
      ) : null}
    </div>
  );
}

function EventDetail({ e }: { e: PlatformEvent }) {
  return (
    <div id={`platform-audit-detail-${e.id.toString()}`} className="space-y-2">
      <pre className="max-h-72 overflow-auto rounded-md border border-slate-200 bg-white p-3 font-mono text-xs text-slate-800">
        {e.details == null ? "—" : JSON.stringify(e.details, null, 2)}
      </pre>
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
        <div className="flex gap-1">
          <dt>Chain:</dt>
          <dd className="font-mono" title={e.hash}>
            #{e.seq.toString()} {e.hash.slice(0, 16)}…
          </dd>
        </div>
        {e.subjectTenantId ? (
          <div className="flex gap-1">
            <dt>Tenant:</dt>
            <dd className="font-mono">{e.subjectTenantId}</dd>
          </div>
        ) : null}
        {e.requestId ? (
          <div className="flex gap-1">
            <dt>Request:</dt>
            <dd className="font-mono">{e.requestId}</dd>
          </div>
        ) : null}
        {e.userAgent ? (
          <div className="flex min-w-0 gap-1">
            <dt>User agent:</dt>
            <dd className="truncate">{e.userAgent}</dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

export function PlatformStream() {
  const trpc = useTRPC();
  const url = useTableUrlState();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const { open, toggle } = useExpandedRows();
  const cursor = url.cursor && /^\d+$/.test(url.cursor) ? BigInt(url.cursor) : null;
  const query = useQuery({ ...trpc.platform.audit.list.queryOptions({ limit: PAGE_SIZE, cursor, ...filterInput(filters) }), placeholderData: keepPreviousData });
  const filtered = Object.values(filters).some(Boolean);
  const cols = useMemo(() => auditColumns<PlatformEvent>({ ip: true, details: { open, toggle, idPrefix: "platform-audit-detail-" } }), [open, toggle]);

  return (
    <div className="space-y-6">
      <Section title="Integrity">
        <Integrity />
      </Section>
      <div className="space-y-3">
        {/* The form starts from the URL's filters (a reload or a shared link shows them). */}
        <AuditFilters value={filters} onApply={(f) => url.update({ cursors: [] }, filterParams(f))} />
        {query.isError && !query.data ? (
          <ListError error={query.error} />
        ) : (
          <DataTable
            label="Platform audit events, newest first"
            mode="server"
            searchable={false}
            columns={cols}
            data={query.data?.items}
            nextCursor={query.data?.nextCursor?.toString() ?? null}
            {...pagedTableState(query)}
            getRowId={(e) => e.id.toString()}
            url={url}
            testId="platform-audit-table"
            empty={<span data-testid="audit-empty">{filtered ? "No events match these filters." : "No events yet."}</span>}
            rowAttributes={() => ({ "data-testid": "audit-row" })}
            renderSubRow={(e) => (open.has(e.id.toString()) ? <EventDetail e={e} /> : null)}
          />
        )}
      </div>
    </div>
  );
}
