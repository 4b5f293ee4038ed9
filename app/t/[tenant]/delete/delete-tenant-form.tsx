"use client";
// The danger zone form: what will be deleted (counts per kind), the grace period from the tenant's
// policy, the slug typed exactly (checked again on the server) and a reason; then a confirmation.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/components/trpc/client";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { th, tdTop } from "@/components/ui/table";

export function DeleteTenantForm({ tenant, name }: { tenant: string; name: string }) {
  const trpc = useTRPC();
  const locked = useTenantLock();
  const router = useRouter();
  const preview = useQuery(trpc.deletion.preview.queryOptions({ tenant }));
  const [slug, setSlug] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const request = useMutation(
    trpc.deletion.request.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        router.push(`/t/${encodeURIComponent(tenant)}`);
        router.refresh();
      },
    }),
  );

  function ask(e: FormEvent) {
    e.preventDefault();
    request.reset();
    setConfirming(true);
  }

  const ready = slug === tenant && reason.trim().length > 0;
  const p = preview.data;
  return (
    <>
      <Section title="What will be deleted">
        {preview.isError ? <Notice tone="error">{errorMessage(preview.error)}</Notice> : null}
        {p ? (
          <table className="min-w-full text-sm" data-testid="deletion-counts">
            <thead>
              <tr>
                <th className={th}>Kind</th>
                <th className={`${th} text-right`}>Count</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {p.counts.map((c) => (
                <tr key={c.kind}>
                  <td className={tdTop}>{c.label}</td>
                  <td className={`${tdTop} text-right font-mono`} data-testid={`count-${c.kind}`}>
                    {c.count.toLocaleString("en")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600">Counting…</p>
        )}
        <p className="mt-3 text-sm text-slate-600">
          The tenant&apos;s data key is destroyed first, so its private signing keys become unreadable; its client ids, key ids and redirect
          URIs are released; its rate-limit counters are removed. Its slug stays reserved and is not reused.
        </p>
      </Section>
      <Section title="Delete this tenant">
        <form onSubmit={ask} className="space-y-4" data-testid="delete-tenant-form">
          {p ? (
            <Notice tone="warning">
              Grace period: <strong data-testid="grace-days">{p.graceDays} days</strong> (the tenant&apos;s data-retention policy). Export the
              audit trail you need before it ends.
            </Notice>
          ) : null}
          <Field id="confirm-slug" label={`Type the tenant's slug (${tenant}) to confirm`}>
            <TextInput id="confirm-slug" name="confirmSlug" autoComplete="off" spellCheck={false} value={slug} onChange={(e) => setSlug(e.target.value)} />
          </Field>
          <Field id="deletion-reason" label="Reason" hint="Kept in the tenant's audit trail and shown to its members.">
            <TextInput id="deletion-reason" name="reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="deletion-reason-hint" />
          </Field>
          {request.isError && !confirming ? <Notice tone="error">{errorMessage(request.error)}</Notice> : null}
          <Button type="submit" variant="danger" disabled={!ready} {...lockedButtonProps(locked)} data-testid="request-deletion">
            Delete tenant…
          </Button>
        </form>
      </Section>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${name}?`}
        confirmLabel="Schedule the deletion"
        pending={request.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => request.mutate({ tenant, confirmSlug: slug, reason: reason.trim() })}
      >
        <p>
          From now on, <strong>{name}</strong>&apos;s console, API keys and public endpoints are closed. After {p?.graceDays ?? "the"} days
          everything it holds is deleted for good; until then it can be cancelled.
        </p>
        {request.isError ? <Notice tone="error">{errorMessage(request.error)}</Notice> : null}
      </ConfirmDialog>
    </>
  );
}
