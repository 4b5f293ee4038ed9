"use client";
// Pending invitations (tenant members page, platform Users page): who was invited, as what, until
// when — with Revoke, confirmed, naming what stops working.
import { useState } from "react";
import { ConfirmDialog } from "./confirm-dialog";
import { RowDangerButton } from "./row-danger-button";
import { Notice } from "./ui/notice";
import { th, tdMiddle as td } from "./ui/table";
import { formatDateTime, isoString } from "./format";

export interface PendingInvitation {
  id: string;
  email: string;
  /** What accepting grants, in words. */
  grants: string;
  expiresAt: Date;
  status: "pending" | "expired";
}

export function PendingInvitations({
  invitations,
  canRevoke,
  onRevoke,
  revoking,
  error,
}: {
  invitations: PendingInvitation[];
  canRevoke: boolean;
  onRevoke: (id: string, done: () => void) => void;
  revoking: boolean;
  error: string | null;
}) {
  const [confirm, setConfirm] = useState<PendingInvitation | null>(null);
  if (invitations.length === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="invitations-empty">
        No pending invitations.
      </p>
    );
  }
  return (
    <>
      <div className="-mx-4 -my-4 overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className={th}>E-mail</th>
              <th scope="col" className={th}>Grants</th>
              <th scope="col" className={th}>Expires</th>
              {canRevoke ? <th scope="col" className={th}><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {invitations.map((i) => (
              <tr key={i.id} data-testid="invitation-row">
                <td className={`${td} font-medium text-slate-900`}>{i.email}</td>
                <td className={`${td} text-slate-700`}>{i.grants}</td>
                <td className={`${td} whitespace-nowrap text-slate-700`}>
                  <time dateTime={isoString(i.expiresAt)}>{formatDateTime(i.expiresAt)}</time>
                  {i.status === "expired" ? <span className="ml-2 text-xs text-slate-500">(expired)</span> : null}
                </td>
                {canRevoke ? (
                  <td className={`${td} text-right`}>
                    <RowDangerButton label={`Revoke the invitation of ${i.email}`} onClick={() => setConfirm(i)}>
                      Revoke
                    </RowDangerButton>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title="Revoke invitation?"
        confirmLabel="Revoke"
        pending={revoking}
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && onRevoke(confirm.id, () => setConfirm(null))}
      >
        <p>
          The link e-mailed to <strong className="font-medium text-slate-900">{confirm?.email}</strong> stops working. They will need a new invitation.
        </p>
        {error ? (
          <Notice tone="error" testId="form-error">
            {error}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
