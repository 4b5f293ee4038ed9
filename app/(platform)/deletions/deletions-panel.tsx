"use client";
// Security admins: every deletion with its purge progress; shorten a pending deletion's grace or
// purge it now (typed slug, confirmation, step-up; audited in the tenant's trail); download a
// completed deletion's signed receipt. Deletions still under way are cards (with the confirmation
// flows); finished ones (completed, cancelled) are a DataTable whose rows expand to their details.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { ChevronDown, ChevronRight } from "lucide-react";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PurgeProgress } from "@/components/deletion/purge-progress";
import { formatDateTime } from "@/components/format";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Badge } from "@/components/ui/badge";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { LoadingSkeleton } from "@/components/query-state";

const TONES = { pending: "amber", purging: "red", completed: "slate", cancelled: "green" } as const;

/**
 * Shortening a grace period is confirmed like the deletion itself: the slug typed exactly, a reason,
 * a confirmation dialog and the server's step-up. The new grace starts empty (at least 1 day);
 * purging at once is a separate, explicit choice that says what will be lost.
 */
function ShortenGrace({ slug, graceDays }: { slug: string; graceDays: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"shorten" | "purge">("shorten");
  const [days, setDays] = useState("");
  const [confirmSlug, setConfirmSlug] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const shorten = useMutation(
    trpc.platform.deletions.shortenGrace.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        setReason("");
        setDays("");
        setConfirmSlug("");
        void queryClient.invalidateQueries({ queryKey: trpc.platform.deletions.list.queryKey() });
      },
    }),
  );
  const purgeNow = mode === "purge";
  const daysValue = Number(days);
  const daysValid = days.trim() !== "" && Number.isInteger(daysValue) && daysValue >= 1 && daysValue < graceDays;
  const ready = confirmSlug === slug && reason.trim().length > 0 && (purgeNow || daysValid);
  function ask(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    shorten.reset();
    setConfirming(true);
  }
  const ids = { days: `days-${slug}`, confirm: `confirm-${slug}`, reason: `reason-${slug}` };
  return (
    <form onSubmit={ask} className="mt-3 space-y-3" data-testid={`shorten-${slug}`}>
      <fieldset className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-800">
        <legend className="mb-1 text-sm font-medium text-slate-700">Change the grace period</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={`mode-${slug}`} value="shorten" checked={!purgeNow} onChange={() => setMode("shorten")} />
          Shorten the grace
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={`mode-${slug}`} value="purge" checked={purgeNow} onChange={() => setMode("purge")} />
          Purge now
        </label>
      </fieldset>
      {purgeNow ? (
        <Notice tone="warning" testId={`purge-now-warning-${slug}`}>
          Purging now deletes everything <strong>{slug}</strong> holds — members, signing keys, API keys, OAuth clients, policies and its
          audit trail — within seconds, for good. Nobody can cancel it once it has started.
        </Notice>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        {purgeNow ? null : (
          <Field id={ids.days} label="New grace (days)">
            <TextInput
              id={ids.days}
              type="number"
              inputMode="numeric"
              min={1}
              max={Math.max(1, graceDays - 1)}
              required
              value={days}
              onChange={(e) => setDays(e.target.value)}
              className="w-24"
            />
          </Field>
        )}
        <Field id={ids.confirm} label={`Type the tenant's slug (${slug}) to confirm`}>
          <TextInput id={ids.confirm} autoComplete="off" spellCheck={false} value={confirmSlug} onChange={(e) => setConfirmSlug(e.target.value)} className="w-56" />
        </Field>
        <Field id={ids.reason} label="Reason (audited)">
          <TextInput id={ids.reason} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} className="w-72" />
        </Field>
        <Button type="submit" variant="danger" disabled={!ready || shorten.isPending}>
          {purgeNow ? "Purge now…" : "Shorten grace…"}
        </Button>
      </div>
      {shorten.isError && !confirming ? <Notice tone="error">{errorMessage(shorten.error)}</Notice> : null}
      <ConfirmDialog
        open={confirming}
        title={purgeNow ? `Purge ${slug} now?` : `Shorten ${slug}'s grace to ${daysValue} days?`}
        confirmLabel={purgeNow ? "Purge now" : "Shorten grace"}
        pending={shorten.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          shorten.mutate({ slug, confirmSlug, graceDays: purgeNow ? 0 : daysValue, purgeNow, reason: reason.trim() })
        }
      >
        {purgeNow ? (
          <p>
            The purge starts at once: <strong>{slug}</strong>&apos;s members, keys, clients, policies and audit trail are deleted
            permanently. Only its signed receipt remains.
          </p>
        ) : (
          <p>
            {slug} will be purged {daysValue} days after the deletion was requested instead of {graceDays}. Until then it can still be
            cancelled.
          </p>
        )}
        {shorten.isError ? <Notice tone="error">{errorMessage(shorten.error)}</Notice> : null}
      </ConfirmDialog>
    </form>
  );
}

function ReceiptButton({ deletionId, slug }: { deletionId: string; slug: string }) {
  const client = useTRPCClient();
  const [error, setError] = useState<string | null>(null);
  async function download() {
    try {
      const receipt = await client.platform.deletions.receipt.query({ deletionId });
      const url = URL.createObjectURL(new Blob([JSON.stringify(receipt, null, 2)], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `deletion-receipt-${slug}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return (
    <>
      <Button variant="secondary" onClick={() => void download()} data-testid={`receipt-${slug}`}>
        Download signed receipt
      </Button>
      {error ? <Notice tone="error">{error}</Notice> : null}
    </>
  );
}

type Deletion = NonNullable<ReturnType<typeof useDeletions>["data"]>[number];
interface Item {
  d: Deletion;
  /** Test-id key: the slug for a slug's latest deletion, slug-id for earlier (cancelled) ones. */
  key: string;
}

function useDeletions() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.platform.deletions.list.queryOptions({ limit: 200 }), refetchInterval: 3_000 });
}

function DeletionDetails({ d, keyId }: { d: Deletion; keyId: string }) {
  return (
    <dl className="mb-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
      <dt className="text-slate-600">Requested</dt>
      <dd>
        {formatDateTime(d.requestedAt)} by {d.requestedBy} —{" "}
        {d.reason.startsWith("sha256:") ? (
          <span title={d.reason} data-testid={`deletion-reason-digest-${keyId}`}>
            reason removed with the tenant (its SHA-256 digest is kept)
          </span>
        ) : (
          d.reason
        )}
      </dd>
      <dt className="text-slate-600">Purge after</dt>
      <dd>
        {formatDateTime(d.purgeAfter)} ({d.graceDays} days grace)
      </dd>
      {d.cancelledAt ? (
        <>
          <dt className="text-slate-600">Cancelled</dt>
          <dd>
            {formatDateTime(d.cancelledAt)} by {d.cancelledBy}
          </dd>
        </>
      ) : null}
      {d.completedAt ? (
        <>
          <dt className="text-slate-600">Completed</dt>
          <dd>{formatDateTime(d.completedAt)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function StatusBadgeFor({ d, keyId }: { d: Deletion; keyId: string }) {
  return (
    <Badge tone={TONES[d.status]} data-testid={`deletion-status-${keyId}`}>
      {d.status}
    </Badge>
  );
}

function finishedColumns(expanded: Set<string>, toggle: (id: string) => void): ColumnDef<Item>[] {
  return [
    {
      id: "tenant",
      accessorFn: (i) => i.d.tenantSlug,
      enableHiding: false,
      // A tombstone's slug is text, never a link: the tenant no longer opens.
      meta: { label: "Tenant", className: "font-mono text-slate-900" },
      cell: ({ row: { original: i } }) => (
        <span className="inline-flex items-center gap-1">
          <button
            type="button"
            onClick={() => toggle(i.d.id)}
            aria-expanded={expanded.has(i.d.id)}
            aria-label={`${expanded.has(i.d.id) ? "Hide" : "Show"} details of ${i.d.tenantSlug}`}
            className="rounded p-0.5 text-slate-600 hover:bg-slate-100"
            data-testid={`deletion-details-${i.key}`}
          >
            {expanded.has(i.d.id) ? <ChevronDown className="size-4" aria-hidden="true" /> : <ChevronRight className="size-4" aria-hidden="true" />}
          </button>
          {i.d.tenantSlug}
        </span>
      ),
    },
    {
      id: "status",
      accessorFn: (i) => i.d.status,
      meta: { label: "Status" },
      cell: ({ row: { original: i } }) => <StatusBadgeFor d={i.d} keyId={i.key} />,
    },
    {
      id: "requestedAt",
      accessorFn: (i) => new Date(i.d.requestedAt).getTime(),
      meta: { label: "Requested", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: i } }) => formatDateTime(i.d.requestedAt),
    },
    {
      id: "finishedAt",
      accessorFn: (i) => new Date(i.d.completedAt ?? i.d.cancelledAt ?? i.d.requestedAt).getTime(),
      meta: { label: "Finished", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: i } }) => {
        const at = i.d.completedAt ?? i.d.cancelledAt;
        return at ? formatDateTime(at) : null;
      },
    },
    {
      id: "requestedBy",
      accessorFn: (i) => i.d.requestedBy,
      meta: { label: "Requested by", className: "text-slate-700" },
      cell: ({ row: { original: i } }) => i.d.requestedBy,
    },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      enableSorting: false,
      meta: { label: "Receipt" },
      cell: ({ row: { original: i } }) => (i.d.hasReceipt ? <ReceiptButton deletionId={i.d.id} slug={i.d.tenantSlug} /> : null),
    },
  ];
}

export function DeletionsPanel() {
  const list = useDeletions();
  const url = useTableUrlState();
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  // Deletions watched while under way open their details when they finish: the operator who
  // pressed "Purge now" sees the outcome (rows deleted, receipt) without hunting for it.
  const seenActive = useRef(new Set<string>());
  const items = useMemo<Item[]>(() => {
    // Newest first: the latest deletion of a slug is the one its test ids name (earlier ones were cancelled).
    const seen = new Set<string>();
    return (list.data ?? []).map((d) => {
      const latest = !seen.has(d.tenantSlug);
      seen.add(d.tenantSlug);
      return { d, key: latest ? d.tenantSlug : `${d.tenantSlug}-${d.id}` };
    });
  }, [list.data]);
  const active = items.filter((i) => i.d.status === "pending" || i.d.status === "purging");
  const finished = items.filter((i) => i.d.status === "completed" || i.d.status === "cancelled");

  useEffect(() => {
    const done: string[] = [];
    for (const i of items) {
      if (i.d.status === "pending" || i.d.status === "purging") seenActive.current.add(i.d.id);
      else if (seenActive.current.delete(i.d.id)) done.push(i.d.id);
    }
    if (done.length) setExpanded((prev) => new Set([...prev, ...done]));
  }, [items]);

  const toggle = useMemo(
    () => (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const columns = useMemo(() => finishedColumns(expanded, toggle), [expanded, toggle]);

  if (list.isError) return <Notice tone="error">{errorMessage(list.error)}</Notice>;
  if (!list.data) return <LoadingSkeleton label="Loading deletions…" />;
  if (list.data.length === 0) return <p className="text-sm text-slate-600">No tenant has been scheduled for deletion.</p>;
  return (
    <div className="space-y-6" data-testid="deletions">
      {active.length ? (
        <section aria-labelledby="deletions-active" className="space-y-4">
          <h2 id="deletions-active" className="text-base font-semibold text-slate-900">
            In their grace period or purging
          </h2>
          {active.map(({ d, key }) => (
            <Section key={d.id} title={d.tenantSlug} actions={<StatusBadgeFor d={d} keyId={key} />}>
              <div data-testid={`deletion-${key}`}>
                <DeletionDetails d={d} keyId={key} />
                {d.progress ? <PurgeProgress progress={d.progress} status={d.status} /> : null}
                {d.status === "pending" ? <ShortenGrace slug={d.tenantSlug} graceDays={d.graceDays} /> : null}
              </div>
            </Section>
          ))}
        </section>
      ) : null}
      <section aria-labelledby="deletions-finished" className="space-y-3">
        <h2 id="deletions-finished" className="text-base font-semibold text-slate-900">
          Completed and cancelled
        </h2>
        <DataTable
          label="Finished deletions"
          searchLabel="Search finished deletions"
          mode="client"
          columns={columns}
          data={finished}
          getRowId={(i) => i.d.id}
          url={url}
          empty={<span data-testid="deletions-finished-empty">No deletion has completed or been cancelled yet.</span>}
          rowAttributes={(i) => ({ "data-testid": `deletion-row-${i.key}` })}
          renderSubRow={(i) =>
            expanded.has(i.d.id) ? (
              <div data-testid={`deletion-${i.key}`}>
                <DeletionDetails d={i.d} keyId={i.key} />
                {i.d.progress && i.d.status !== "cancelled" ? <PurgeProgress progress={i.d.progress} status={i.d.status} /> : null}
              </div>
            ) : null
          }
        />
      </section>
    </div>
  );
}
