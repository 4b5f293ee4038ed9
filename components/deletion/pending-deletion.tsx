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
import { AuditExports } from "@/app/t/[tenant]/audit/audit-exports";
import { NO_FILTERS } from "@/app/t/[tenant]/audit/audit-filters";
import { LoadingSkeleton } from "@/components/query-state";

/** Saves the tenant's configuration (no secrets) as a JSON file in the browser. */
function ConfigurationDownload({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const config = useQuery({ ...trpc.deletion.configurationExport.queryOptions({ tenant }), enabled: false, gcTime: 0 });
  const download = async () => {
    const r = await config.refetch();
    if (!r.data) return;
    const url = URL.createObjectURL(new Blob([JSON.stringify(r.data, null, 2)], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${tenant}-configuration.json`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div className="space-y-2">
      <Button variant="secondary" onClick={() => void download()} disabled={config.isFetching} data-testid="configuration-export">
        {config.isFetching ? "Preparing…" : "Download configuration (JSON)"}
      </Button>
      <p className="text-xs text-slate-500">Members, workspaces, policy overrides, OAuth clients, public signing keys and API key metadata — no secrets.</p>
      {config.isError ? <Notice tone="error">{errorMessage(config.error)}</Notice> : null}
    </div>
  );
}

export function PendingDeletion({ tenant, name, permissions }: { tenant: string; name: string; permissions: readonly string[] }) {
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
  if (!d) return <LoadingSkeleton label="Loading the deletion…" />;

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
      {d.status !== "purging" && (permissions.includes("tenant.delete") || permissions.includes("audit.export")) ? (
        <Section title="Take a copy before it is gone">
          <div className="space-y-4">
            {permissions.includes("tenant.delete") ? <ConfigurationDownload tenant={tenant} /> : null}
            {permissions.includes("audit.export") ? <AuditExports tenant={tenant} filters={NO_FILTERS} /> : null}
          </div>
        </Section>
      ) : null}
      {d.progress ? (
        <Section title="Purge progress">
          <PurgeProgress progress={d.progress} status={d.status} />
        </Section>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Keep ${name}?`}
        confirmLabel="Cancel the deletion"
        tone="primary"
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
