"use client";
// What every member of a tenant pending deletion sees instead of its console: when it will be
// deleted, who asked and why; owners and security admins can cancel during the grace period;
// security admins also see the purge's progress (refreshed every few seconds).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { PurgeProgress } from "./purge-progress";

export function PendingDeletion({ tenant, name }: { tenant: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const status = useQuery({ ...trpc.deletion.status.queryOptions({ tenant }), refetchInterval: 3_000 });
  const cancel = useMutation(
    trpc.deletion.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        router.refresh();
      },
    }),
  );

  if (status.isError) return <Notice tone="error">{errorMessage(status.error)}</Notice>;
  const d = status.data?.deletion;
  if (!d) return <p className="text-sm text-slate-600">Loading…</p>;

  return (
    <div className="space-y-6" data-testid="pending-deletion">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">{name} is scheduled for deletion</h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-700">
          {d.status === "purging" ? (
            <>The purge has started: the tenant&apos;s data is being deleted permanently. It can no longer be cancelled.</>
          ) : (
            <>
              On <strong data-testid="purge-after">{formatDateTime(d.purgeAfter)}</strong> everything this tenant holds — members, keys,
              clients, policies and its audit trail — is deleted permanently. Until then its console, API keys and public endpoints (JWKS,
              discovery, authorize-check) are closed, and an owner or a security admin can cancel the deletion.
            </>
          )}
        </p>
      </div>
      <Section title="Deletion request">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
          <dt className="text-slate-600">Requested</dt>
          <dd className="text-slate-900">
            {formatDateTime(d.requestedAt)} by {d.requestedBy}
          </dd>
          <dt className="text-slate-600">Reason</dt>
          <dd className="break-words text-slate-900" data-testid="deletion-reason">
            {d.reason}
          </dd>
          <dt className="text-slate-600">Grace period</dt>
          <dd className="text-slate-900">
            {d.graceDays} days (purge after {formatDateTime(d.purgeAfter)})
          </dd>
          <dt className="text-slate-600">Status</dt>
          <dd className="text-slate-900" data-testid="deletion-status">
            {d.status}
          </dd>
        </dl>
        {status.data?.canCancel ? (
          <div className="mt-4">
            <Button variant="primary" onClick={() => (cancel.reset(), setConfirming(true))} data-testid="cancel-deletion">
              Cancel the deletion…
            </Button>
          </div>
        ) : null}
      </Section>
      {d.progress ? (
        <Section title="Purge progress">
          <PurgeProgress progress={d.progress} status={d.status} />
        </Section>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Keep ${name}?`}
        confirmLabel="Cancel the deletion"
        pending={cancel.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => cancel.mutate({ tenant })}
      >
        <p>The tenant becomes active again at once, with everything it had: its console, API keys and public endpoints work again.</p>
        {cancel.isError ? <Notice tone="error">{errorMessage(cancel.error)}</Notice> : null}
      </ConfirmDialog>
    </div>
  );
}
