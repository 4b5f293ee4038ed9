"use client";
// Exports of the audit trail: request one for the filters currently applied (time range included),
// in CSV or JSONL (gzip), then follow its progress; a finished export offers the file and its signed
// manifest for download until it expires. The list refreshes itself while an export is running.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useMemo, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/components/format";
import { RelativeTime } from "@/components/time";
import { filterInput, type AuditFilterValues } from "./audit-filters";

type Format = "csv" | "jsonl";

const STATUS_TONE: Record<string, BadgeTone> = { queued: "slate", running: "indigo", done: "green", failed: "red", expired: "slate" };

function bytes(n: string | null): string {
  if (n === null) return "";
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${(v / 1024 / 1024).toFixed(1)} MiB`;
}

/** "acme: action starts with member., from …" — what the export was filtered by, for people. */
function describeFilters(f: Record<string, string | null>): string {
  const parts: string[] = [];
  if (f.from) parts.push(`from ${formatDateTime(f.from)}`);
  if (f.to) parts.push(`until ${formatDateTime(f.to)}`);
  if (f.actor) parts.push(`actor “${f.actor}”`);
  if (f.actionPrefix) parts.push(`action ${f.actionPrefix}…`);
  if (f.targetType) parts.push(`target type ${f.targetType}`);
  if (f.targetId) parts.push(`target ${f.targetId}`);
  if (f.outcome) parts.push(f.outcome);
  if (f.text) parts.push(`“${f.text}”`);
  return parts.length ? parts.join(", ") : "all events";
}

type ExportItem = inferRouterOutputs<AppRouter>["audit"]["exports"][number];

function columns(base: string): ColumnDef<ExportItem>[] {
  return [
    {
      id: "createdAt",
      accessorKey: "createdAt",
      enableHiding: false,
      meta: { label: "Requested", className: "align-top whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: e } }) => (
        <>
          <RelativeTime at={e.createdAt} />
          <div className="text-xs text-slate-500">{e.requestedBy ?? "—"}</div>
        </>
      ),
    },
    {
      id: "events",
      accessorFn: (e) => `${e.format} ${describeFilters(e.filters as unknown as Record<string, string | null>)}`,
      meta: { label: "Events", className: "align-top text-slate-700" },
      cell: ({ row: { original: e } }) => (
        <>
          <span className="font-mono text-xs uppercase">{e.format}</span> · {describeFilters(e.filters as unknown as Record<string, string | null>)}
        </>
      ),
    },
    {
      id: "status",
      accessorKey: "status",
      meta: { label: "Status", className: "align-top min-w-48" },
      cell: ({ row: { original: e } }) => {
        const estimated = e.rowsEstimated === null ? null : Number(e.rowsEstimated);
        const written = Number(e.rowsWritten);
        const pct = estimated ? Math.min(100, Math.round((written / estimated) * 100)) : e.status === "done" ? 100 : 0;
        return (
          <>
            <Badge tone={STATUS_TONE[e.status] ?? "slate"}>{e.status}</Badge>
            {e.status === "queued" || e.status === "running" ? (
              <div className="mt-1">
                <div
                  className="h-1.5 w-40 overflow-hidden rounded bg-slate-100"
                  role="progressbar"
                  aria-label="Export progress"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                >
                  <div className="h-full bg-indigo-500" style={{ width: `${pct}%` }} />
                </div>
                <p className="mt-1 text-xs text-slate-500" data-testid="export-progress">
                  {written.toLocaleString("en-US")} of {estimated === null ? "…" : estimated.toLocaleString("en-US")} events
                </p>
              </div>
            ) : (
              <p className="mt-1 text-xs text-slate-500">
                {e.status === "done" ? `${written.toLocaleString("en-US")} events · ${bytes(e.bytes)}` : null}
                {e.status === "failed" ? e.error : null}
                {e.status === "expired" ? "The file was deleted." : null}
              </p>
            )}
          </>
        );
      },
    },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      enableSorting: false,
      meta: { label: "Download", className: "align-top whitespace-nowrap" },
      cell: ({ row: { original: e } }) =>
        e.downloadable ? (
          <div className="flex flex-col gap-1">
            <div className="flex gap-2">
              <a className={buttonClasses("secondary", "py-1")} href={`${base}/${e.id}`} download data-testid="export-download">
                Download
              </a>
              <a className={buttonClasses("ghost", "py-1")} href={`${base}/${e.id}?part=manifest`} download data-testid="export-manifest">
                Manifest
              </a>
            </div>
            <span className="text-xs text-slate-500" title={e.sha256 ?? undefined}>
              SHA-256 {e.sha256?.slice(0, 12)}… · until {formatDateTime(e.expiresAt)}
            </span>
          </div>
        ) : (
          <span className="text-xs text-slate-500">—</span>
        ),
    },
  ];
}

export function AuditExports({ tenant, filters }: { tenant: string; filters: AuditFilterValues }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<Format>("csv");
  const [notice, setNotice] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  const list = useQuery({
    ...trpc.audit.exports.queryOptions({ tenant }),
    // Poll while something is queued or running; quiet otherwise.
    refetchInterval: (q) => (q.state.data?.some((e) => e.status === "queued" || e.status === "running") ? 1000 : false),
  });
  const request = useMutation(
    trpc.audit.requestExport.mutationOptions({
      onSuccess: () => {
        setNotice({ tone: "info", text: "Export requested. It runs in the background; the list below shows its progress." });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.exports.queryKey({ tenant }) });
      },
      onError: (e) => setNotice({ tone: "error", text: errorMessage(e) }),
    }),
  );
  const applied = filterInput(filters);
  const base = `/api/t/${encodeURIComponent(tenant)}/exports`;
  // Its own URL keys: the audit table on the same page has the unprefixed ones.
  const url = useTableUrlState("exports");
  const cols = useMemo(() => columns(base), [base]);

  return (
    <Section
      title="Exports"
      actions={
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setNotice(null);
            request.mutate({ tenant, format, ...applied });
          }}
        >
          <Field id="export-format" label="Format">
            <Select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)} data-testid="export-format">
              <option value="csv">CSV (.csv.gz)</option>
              <option value="jsonl">JSON Lines (.jsonl.gz)</option>
            </Select>
          </Field>
          <Button type="submit" disabled={request.isPending} data-testid="export-request">
            {request.isPending ? "Requesting…" : "Export"}
          </Button>
        </form>
      }
    >
      <div className="space-y-3">
        <p className="text-xs text-slate-500">
          Exports the events matching the applied filters ({describeFilters(applied as unknown as Record<string, string | null>)}), oldest first, gzip-compressed, with a
          manifest signed by the platform key (verify offline with <code>npm run export:verify</code>). Download links expire after a day.
        </p>
        {notice ? (
          <Notice tone={notice.tone} testId="export-notice">
            {notice.text}
          </Notice>
        ) : null}
        {list.isError ? <Notice tone="error">{errorMessage(list.error)}</Notice> : null}
        <DataTable
          label="Audit exports"
          searchLabel="Search exports"
          mode="client"
          columns={cols}
          data={list.data}
          isLoading={list.isPending}
          getRowId={(e) => e.id}
          url={url}
          empty={<span data-testid="export-empty">No exports yet.</span>}
          rowAttributes={(e) => ({ "data-testid": "export-row", "data-status": e.status })}
        />
      </div>
    </Section>
  );
}
