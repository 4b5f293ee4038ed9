"use client";
// Security admins: one user's second factors (kind, name, added, last used — never secrets) with
// removal, e.g. for someone who lost their phone and their recovery codes. Removal needs a reason
// (platform audit trail) and a recent verification (step-up, asked by the tRPC client).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { tdMiddle as td, th } from "@/components/ui/table";
import { RelativeTime } from "@/components/time";
import { LoadingSkeleton } from "@/components/query-state";

interface Factor {
  id: string;
  kind: "totp" | "passkey";
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const KIND: Record<Factor["kind"], string> = { totp: "Authenticator app (TOTP)", passkey: "Passkey" };

export function UserFactorsAdmin({ userId, email }: { userId: string; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.platform.factors.list.queryOptions({ userId }));
  const [removing, setRemoving] = useState<Factor | null>(null);
  const [reason, setReason] = useState("");
  const remove = useMutation(
    trpc.platform.factors.remove.mutationOptions({
      onSuccess: async () => {
        setRemoving(null);
        setReason("");
        await queryClient.invalidateQueries({ queryKey: trpc.platform.factors.list.queryKey({ userId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.platform.users.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.platform.sessions.pathKey() });
      },
    }),
  );
  const factors = list.data?.factors ?? [];
  const last = factors.length === 1;

  return (
    <div className="space-y-3" data-testid="user-factors">
      <h3 className="text-sm font-semibold text-slate-900">Second factors of {email}</h3>
      {list.isError ? <Notice tone="error">{errorMessage(list.error)}</Notice> : null}
      {list.isPending ? (
        <LoadingSkeleton label="Loading sign-in methods…" />
      ) : factors.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-factors">
          {email} has no second factor.
        </p>
      ) : (
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Second factors of {email}</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>Kind</th>
              <th scope="col" className={th}>Name</th>
              <th scope="col" className={th}>Added</th>
              <th scope="col" className={th}>Last used</th>
              <th scope="col" className={th}><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {factors.map((f) => (
              <tr key={f.id} data-testid="factor-row">
                <td className={td}>{KIND[f.kind]}</td>
                <td className={td}>{f.name}</td>
                <td className={td}>
                  <RelativeTime at={f.createdAt} />
                </td>
                <td className={td}>{f.lastUsedAt ? <RelativeTime at={f.lastUsedAt} /> : "Never"}</td>
                <td className={`${td} text-right`}>
                  <Button
                    variant="ghost"
                    className="py-1 text-red-700 hover:bg-red-50"
                    onClick={() => {
                      remove.reset();
                      setReason("");
                      setRemoving(f);
                    }}
                    aria-label={`Remove ${KIND[f.kind]} ${f.name} of ${email}`}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && factors.length > 0 ? (
        <p className="text-xs text-slate-600">
          {list.data.recoveryCodesLeft === 1 ? "1 recovery code" : `${list.data.recoveryCodesLeft} recovery codes`} left.
        </p>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove this second factor of ${email}?`}
        confirmLabel="Remove second factor"
        pending={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ userId, factorId: removing.id, reason })}
      >
        <p>
          {removing ? `${KIND[removing.kind]} “${removing.name}”` : null} stops working for {email}, and every session of {email} ends.
          {last
            ? ` It is their last second factor: their ${list.data?.recoveryCodesLeft ?? 0} recovery codes are deleted too, and they must enrol a new factor where their role requires one.`
            : null}
        </p>
        <Field id="factor-reason" label="Reason (kept in the platform audit trail)">
          <TextInput id="factor-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </Field>
        {remove.isError ? (
          <Notice tone="error" testId="factor-error">
            {errorMessage(remove.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
