"use client";
// Security admins: every deletion with its purge progress; shorten a pending deletion's grace or
// purge it now (typed slug, confirmation, step-up; audited in the tenant's trail); download a
// completed deletion's signed receipt.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PurgeProgress } from "@/components/deletion/purge-progress";
import { formatDateTime } from "@/components/format";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Badge } from "@/components/ui/badge";
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
    trpc.platformDeletions.shortenGrace.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        setReason("");
        setDays("");
        setConfirmSlug("");
        void queryClient.invalidateQueries({ queryKey: trpc.platformDeletions.list.queryKey() });
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
      const receipt = await client.platformDeletions.receipt.query({ deletionId });
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

export function DeletionsPanel() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.platformDeletions.list.queryOptions({}), refetchInterval: 3_000 });
  if (list.isError) return <Notice tone="error">{errorMessage(list.error)}</Notice>;
  if (!list.data) return <LoadingSkeleton label="Loading deletions…" />;
  if (list.data.length === 0) return <p className="text-sm text-slate-600">No tenant has been scheduled for deletion.</p>;
  // Newest first: the latest deletion of a slug is the one its test ids name (earlier ones were cancelled).
  const seen = new Set<string>();
  const items = list.data.map((d) => {
    const latest = !seen.has(d.tenantSlug);
    seen.add(d.tenantSlug);
    return { d, key: latest ? d.tenantSlug : `${d.tenantSlug}-${d.id}` };
  });
  return (
    <div className="space-y-4" data-testid="deletions">
      {items.map(({ d, key }) => (
        <Section
          key={d.id}
          title={d.tenantSlug}
          actions={
            <Badge tone={TONES[d.status]} data-testid={`deletion-status-${key}`}>
              {d.status}
            </Badge>
          }
        >
          <div data-testid={`deletion-${key}`}>
            <dl className="mb-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
              <dt className="text-slate-600">Requested</dt>
              <dd>
                {formatDateTime(d.requestedAt)} by {d.requestedBy} —{" "}
                {d.reason.startsWith("sha256:") ? (
                  <span title={d.reason} data-testid={`deletion-reason-digest-${key}`}>
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
            {d.progress && d.status !== "cancelled" ? <PurgeProgress progress={d.progress} status={d.status} /> : null}
            {d.status === "pending" ? <ShortenGrace slug={d.tenantSlug} graceDays={d.graceDays} /> : null}
            {d.hasReceipt ? (
              <div className="mt-3">
                <ReceiptButton deletionId={d.id} slug={d.tenantSlug} />
              </div>
            ) : null}
          </div>
        </Section>
      ))}
    </div>
  );
}
