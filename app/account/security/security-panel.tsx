"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { PasskeyEnrolment } from "@/components/mfa/passkey-enrolment";
import { RecoveryCodesDialog } from "@/components/mfa/recovery-codes-dialog";
import { TotpEnrolment } from "@/components/mfa/totp-enrolment";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { TextInput } from "@/components/ui/field";
import { formatDateTime } from "@/components/format";
import { LoadingSkeleton } from "@/components/query-state";

type Factor = { id: string; kind: "totp" | "passkey"; name: string; createdAt: Date; lastUsedAt: Date | null };

export function SecurityPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.factors.mine.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.factors.mine.queryKey() });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState<Factor | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const remove = useMutation(trpc.factors.remove.mutationOptions({ onSuccess: () => { setRemoving(null); void refresh(); } }));
  const rename = useMutation(trpc.factors.renamePasskey.mutationOptions({ onSuccess: () => { setRenaming(null); void refresh(); } }));
  const regenerate = useMutation(trpc.factors.regenerateRecoveryCodes.mutationOptions({ onSuccess: (r) => { setCodes(r.recoveryCodes); void refresh(); } }));

  if (mine.isPending) return <LoadingSkeleton label="Loading your sign-in methods…" />;
  if (mine.error) return <Notice tone="error">{mine.error.message}</Notice>;
  const { factors, recoveryCodesLeft, required } = mine.data;
  const hasTotp = factors.some((f) => f.kind === "totp");
  const enrolled = (recoveryCodes: string[] | null) => {
    if (recoveryCodes) setCodes(recoveryCodes);
    void refresh();
  };

  return (
    <div className="space-y-6">
      {required && factors.length === 0 ? <Notice tone="warning">Your role requires a second factor. Set one up below.</Notice> : null}
      <Section title="Your second factors">
        {factors.length === 0 ? (
          <p className="p-4 text-sm text-slate-600">No second factor yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200" data-testid="factor-list">
            {factors.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm" data-testid="factor-row">
                <div className="min-w-0 flex-1">
                  {renaming?.id === f.id ? (
                    <form
                      className="flex gap-2"
                      onSubmit={(e) => {
                        e.preventDefault();
                        rename.mutate({ factorId: f.id, name: renaming.name });
                      }}
                    >
                      <TextInput aria-label="New passkey name" value={renaming.name} onChange={(e) => setRenaming({ id: f.id, name: e.target.value })} maxLength={100} />
                      <Button type="submit" disabled={rename.isPending}>Save</Button>
                      <Button variant="ghost" onClick={() => setRenaming(null)}>Cancel</Button>
                    </form>
                  ) : (
                    <p className="font-medium text-slate-900">{f.name}</p>
                  )}
                  <p className="text-slate-600">
                    {f.kind === "totp" ? "Authenticator app" : "Passkey"} · added {formatDateTime(f.createdAt)} · {f.lastUsedAt ? `last used ${formatDateTime(f.lastUsedAt)}` : "not used yet"}
                  </p>
                </div>
                {f.kind === "passkey" && renaming?.id !== f.id ? (
                  <Button variant="secondary" onClick={() => setRenaming({ id: f.id, name: f.name })}>Rename</Button>
                ) : null}
                <Button variant="danger" onClick={() => setRemoving(f)} data-testid="remove-factor">Remove</Button>
              </li>
            ))}
          </ul>
        )}
        {rename.error ? <Notice tone="error" className="m-4">{rename.error.message}</Notice> : null}
      </Section>

      {!hasTotp ? (
        <Section title="Add an authenticator app">
          <div className="p-4"><TotpEnrolment onEnrolled={enrolled} /></div>
        </Section>
      ) : null}
      <Section title="Add a passkey">
        <div className="p-4"><PasskeyEnrolment onEnrolled={enrolled} /></div>
      </Section>

      {factors.length > 0 ? (
        <Section title="Recovery codes">
          <div className="space-y-3 p-4 text-sm">
            <p className="text-slate-700" data-testid="recovery-codes-left">{recoveryCodesLeft} of 10 recovery codes left.</p>
            {regenerate.error ? <Notice tone="error">{regenerate.error.message}</Notice> : null}
            <Button variant="secondary" onClick={() => regenerate.mutate()} disabled={regenerate.isPending}>
              Replace with 10 new codes
            </Button>
          </div>
        </Section>
      ) : null}

      <ConfirmDialog
        open={removing !== null}
        title={`Remove “${removing?.name ?? ""}”?`}
        confirmLabel="Remove"
        pending={remove.isPending}
        onConfirm={() => removing && remove.mutate({ factorId: removing.id })}
        onCancel={() => { setRemoving(null); remove.reset(); }}
      >
        <p>
          You will no longer be able to sign in with this {removing?.kind === "passkey" ? "passkey" : "authenticator app"}.
          {factors.length === 1 ? " It is your only second factor: your recovery codes stop working too." : ""}
        </p>
        {remove.error ? <Notice tone="error">{remove.error.message}</Notice> : null}
      </ConfirmDialog>
      {codes ? <RecoveryCodesDialog codes={codes} onDone={() => setCodes(null)} /> : null}
    </div>
  );
}
