"use client";
// The platform audit stream for security admins: the same filters and paging as a tenant's audit
// page, an on-demand integrity check against the signed checkpoints, and a checkpoint button.
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { AuditFilters, filterInput, NO_FILTERS, type AuditFilterValues } from "@/app/t/[tenant]/audit/audit-filters";
import { formatDateTime, isoString } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Card, Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { tdTop as td, th } from "@/components/ui/table";

const PAGE_SIZE = 50;

function Integrity() {
  const trpc = useTRPC();
  // Only on demand: a full walk reads every event of the stream.
  const check = useQuery({ ...trpc.platformAudit.verify.queryOptions(), enabled: false, gcTime: 0 });
  const checkpoint = useMutation(trpc.platformAudit.checkpoint.mutationOptions());
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

export function PlatformStream() {
  const trpc = useTRPC();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [filters, setFilters] = useState<AuditFilterValues>(NO_FILTERS);
  const query = useInfiniteQuery(trpc.platformAudit.list.infiniteQueryOptions({ limit: PAGE_SIZE, ...filterInput(filters) }, { getNextPageParam: (last) => last.nextCursor }));
  const filtered = Object.values(filters).some(Boolean);
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const events = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-6">
      <Section title="Integrity">
        <Integrity />
      </Section>
      <div className="space-y-3">
        <AuditFilters value={filters} onApply={setFilters} />
        {query.isError ? (
          <Notice tone="error" testId="list-error">
            {errorMessage(query.error)}
          </Notice>
        ) : query.isPending ? (
          <p className="text-sm text-slate-500">Loading events…</p>
        ) : (
          <Card className="overflow-x-auto">
            {events.length === 0 ? (
              <p className="px-4 py-8 text-center text-sm text-slate-600" data-testid="audit-empty">
                {filtered ? "No events match these filters." : "No events yet."}
              </p>
            ) : (
              <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="platform-audit-table">
                <caption className="sr-only">Platform audit events, newest first</caption>
                <thead className="bg-slate-50">
                  <tr>
                    <th scope="col" className={th}>Time</th>
                    <th scope="col" className={th}>Actor</th>
                    <th scope="col" className={th}>Action</th>
                    <th scope="col" className={th}>Target</th>
                    <th scope="col" className={th}>IP</th>
                    <th scope="col" className={th}>
                      <span className="sr-only">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {events.map((e) => {
                    const id = e.id.toString();
                    const expanded = open.has(id);
                    const detailId = `platform-audit-detail-${id}`;
                    return (
                      <Fragment key={id}>
                        <tr data-testid="audit-row">
                          <td className={`${td} whitespace-nowrap text-slate-600`}>
                            <time dateTime={isoString(e.occurredAt)}>{formatDateTime(e.occurredAt)}</time>
                          </td>
                          <td className={`${td} text-slate-900`}>{e.actorLabel ?? e.actorType}</td>
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
                            <td colSpan={6} className="space-y-2 bg-slate-50 px-3 py-3">
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
        )}
        {query.hasNextPage ? (
          <div className="flex justify-center">
            <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
