"use client";
// The usage numbers (usage.summary) in two windows, and the latest storage snapshot with a refresh
// request (queued as a job, at most once per 10 minutes).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { QueryState } from "@/components/query-state";
import { RelativeTime } from "@/components/time";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { th, tdTop } from "@/components/ui/table";

const SURFACE_LABELS: Record<string, string> = {
  trpc: "Console",
  apiKey: "API keys",
  public: "Public endpoints",
  job: "Background jobs",
};

const n = (v: number) => v.toLocaleString("en-US");

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = b / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function UsagePanel({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const summary = useQuery(trpc.usage.summary.queryOptions({ tenant }));
  const refresh = useMutation(
    trpc.usage.refreshStorage.mutationOptions({
      onSuccess: () => {
        toast.success("Storage refresh queued: the numbers update when the job has run.");
        void queryClient.invalidateQueries({ queryKey: trpc.usage.summary.queryKey({ tenant }) });
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );

  return (
    <QueryState query={summary} what="usage" rows={4}>
      {(s) => {
        const windows = [
          { key: "day", label: "Last 24 hours", w: s.day },
          { key: "month", label: "Last 30 days", w: s.month },
        ] as const;
        return (
          <div className="space-y-6">
            <Section title="Requests and refusals" actions={<Button variant="secondary" onClick={() => void summary.refetch()} disabled={summary.isRefetching} data-testid="usage-reload">{summary.isRefetching ? "Reloading…" : "Reload"}</Button>}>
              <div className="relative overflow-x-auto">
                <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="usage-requests">
                  <caption className="sr-only">Requests and refusals by surface, last 24 hours and last 30 days</caption>
                  <thead className="bg-slate-50">
                    <tr>
                      <th scope="col" className={th}>Surface</th>
                      {windows.map((x) => (
                        <th key={x.key} scope="col" className={th}>{x.label}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {s.day.surfaces.map((row, i) => (
                      <tr key={row.surface} data-testid="usage-surface" data-surface={row.surface}>
                        <th scope="row" className={`${tdTop} text-left font-normal text-slate-900`}>{SURFACE_LABELS[row.surface] ?? row.surface}</th>
                        {windows.map((x) => {
                          const r = x.w.surfaces[i]!;
                          return (
                            <td key={x.key} className={tdTop} data-testid={`usage-${x.key}`}>
                              <span className="font-medium text-slate-900" data-testid="usage-requests-count">{n(r.requests)}</span> requests
                              {r.rateLimited || r.busy ? (
                                <span className="block text-slate-600">
                                  {r.rateLimited ? `${n(r.rateLimited)} rate-limited` : ""}
                                  {r.rateLimited && r.busy ? ", " : ""}
                                  {r.busy ? `${n(r.busy)} refused (pool share)` : ""}
                                </span>
                              ) : null}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                    <tr className="bg-slate-50" data-testid="usage-totals">
                      <th scope="row" className={`${tdTop} text-left font-semibold text-slate-900`}>All surfaces</th>
                      {windows.map((x) => (
                        <td key={x.key} className={tdTop} data-testid={`usage-total-${x.key}`}>
                          <span className="font-semibold text-slate-900">{n(x.w.totals.requests)}</span> requests
                          <span className="block text-slate-600">
                            {n(x.w.totals.rateLimited)} rate-limited, {n(x.w.totals.busy)} refused (pool share)
                          </span>
                        </td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </div>
              <p className="mt-3 text-xs text-slate-600">
                Counted per hour; windows start at the hour. A refused request counts as a refusal, not as a request. Figures as of{" "}
                <RelativeTime at={s.generatedAt} />.
              </p>
            </Section>

            <Section title="Audit trail">
              <dl className="grid gap-4 sm:grid-cols-2" data-testid="usage-audit">
                {windows.map((x) => (
                  <div key={x.key}>
                    <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{x.label}</dt>
                    <dd className="mt-1 text-sm text-slate-900">
                      <span className="font-medium" data-testid={`usage-audit-events-${x.key}`}>{n(x.w.auditEvents)}</span> audit events,{" "}
                      <span className="font-medium" data-testid={`usage-exports-${x.key}`}>{n(x.w.exports)}</span> exports ({formatBytes(x.w.exportBytes)})
                    </dd>
                  </div>
                ))}
              </dl>
            </Section>

            <Section
              title="Storage"
              actions={
                <Button variant="secondary" onClick={() => refresh.mutate({ tenant })} disabled={refresh.isPending} data-testid="usage-refresh-storage">
                  {refresh.isPending ? "Queuing…" : "Refresh storage"}
                </Button>
              }
            >
              {s.storage.refreshPendingSince ? (
                <p className="mb-3 text-sm text-slate-600" data-testid="usage-storage-pending">
                  A refresh was requested <RelativeTime at={s.storage.refreshPendingSince} /> and is waiting for the job queue.
                </p>
              ) : null}
              {s.storage.snapshot ? (
                <>
                  <p className="mb-3 text-sm text-slate-700" data-testid="usage-storage-summary">
                    <span className="font-medium text-slate-900">{n(s.storage.snapshot.totalRows)}</span> rows,{" "}
                    <span className="font-medium text-slate-900">{formatBytes(s.storage.snapshot.totalBytes)}</span> of row data, measured{" "}
                    {s.storage.snapshot.takenAt ? <RelativeTime at={s.storage.snapshot.takenAt} testId="usage-storage-taken" /> : null}.
                  </p>
                  <div className="relative overflow-x-auto">
                    <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="usage-storage">
                      <caption className="sr-only">Rows and bytes per table</caption>
                      <thead className="bg-slate-50">
                        <tr>
                          <th scope="col" className={th}>Table</th>
                          <th scope="col" className={th}>Rows</th>
                          <th scope="col" className={th}>Bytes</th>
                        </tr>
                      </thead>
                      <tbody className="divide-y divide-slate-100">
                        {s.storage.snapshot.tables.map((t) => (
                          <tr key={t.table} data-testid="usage-storage-row" data-table={t.table}>
                            <td className={`${tdTop} font-mono text-xs text-slate-900`}>{t.table}</td>
                            <td className={tdTop}>{n(t.rows)}</td>
                            <td className={tdTop}>{formatBytes(t.bytes)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              ) : (
                <p className="text-sm text-slate-600" data-testid="usage-storage-none">
                  Not measured yet: the background job measures storage periodically, or request a refresh.
                </p>
              )}
              <p className="mt-3 text-xs text-slate-600">
                Bytes are the size of the tenant&apos;s row data (without indexes and page overhead). A refresh can be requested once every 10 minutes.
              </p>
            </Section>
          </div>
        );
      }}
    </QueryState>
  );
}
