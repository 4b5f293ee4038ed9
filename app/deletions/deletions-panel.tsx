"use client";
// Security admins: every deletion with its purge progress; shorten a pending deletion's grace
// (audited in the tenant's trail); download a completed deletion's signed receipt.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
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

function ShortenGrace({ slug, graceDays }: { slug: string; graceDays: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [days, setDays] = useState("0");
  const [reason, setReason] = useState("");
  const shorten = useMutation(
    trpc.platformDeletions.shortenGrace.mutationOptions({
      onSuccess: () => {
        setReason("");
        void queryClient.invalidateQueries({ queryKey: trpc.platformDeletions.list.queryKey() });
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    shorten.mutate({ slug, graceDays: Number(days), reason: reason.trim() });
  }
  return (
    <form onSubmit={submit} className="mt-3 flex flex-wrap items-end gap-3" data-testid={`shorten-${slug}`}>
      <Field id={`days-${slug}`} label="New grace (days)">
        <TextInput id={`days-${slug}`} type="number" min={0} max={Math.max(0, graceDays - 1)} value={days} onChange={(e) => setDays(e.target.value)} className="w-24" />
      </Field>
      <Field id={`reason-${slug}`} label="Reason (audited)">
        <TextInput id={`reason-${slug}`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} className="w-72" />
      </Field>
      <Button type="submit" variant="danger" disabled={!reason.trim() || shorten.isPending}>
        Shorten grace
      </Button>
      {shorten.isError ? <Notice tone="error">{errorMessage(shorten.error)}</Notice> : null}
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
