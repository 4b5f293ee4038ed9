"use client";
// Pending invitations (tenant members page, platform Users page) on the shared DataTable: who was
// invited, as what, until when — with Revoke, confirmed, naming what stops working. Its URL state
// has the "inv" prefix: both pages already have another table keeping its state in the URL.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { ConfirmDialog } from "./confirm-dialog";
import { RowDangerButton } from "./row-danger-button";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "./ui/data-table";
import { Notice } from "./ui/notice";
import { formatDateTime, isoString } from "./format";

export interface PendingInvitation {
  id: string;
  email: string;
  /** What accepting grants, in words. */
  grants: string;
  expiresAt: Date;
  status: "pending" | "expired";
}

function columns(onRevoke: ((i: PendingInvitation) => void) | null): ColumnDef<PendingInvitation>[] {
  const cols: ColumnDef<PendingInvitation>[] = [
    { id: "email", accessorKey: "email", enableHiding: false, meta: { label: "E-mail", className: "font-medium text-slate-900" } },
    { id: "grants", accessorKey: "grants", meta: { label: "Grants", className: "text-slate-700" } },
    {
      id: "expiresAt",
      accessorFn: (i) => new Date(i.expiresAt).getTime(),
      meta: { label: "Expires", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: i } }) => (
        <>
          <time dateTime={isoString(i.expiresAt)}>{formatDateTime(i.expiresAt)}</time>
          {i.status === "expired" ? <span className="ml-2 text-xs text-slate-600">(expired)</span> : null}
        </>
      ),
    },
  ];
  if (onRevoke) {
    cols.push({
      id: ACTIONS_COLUMN,
      enableHiding: false,
      enableSorting: false,
      meta: { label: "Actions" },
      cell: ({ row: { original: i } }) => (
        <RowDangerButton label={`Revoke the invitation of ${i.email}`} onClick={() => onRevoke(i)}>
          Revoke
        </RowDangerButton>
      ),
    });
  }
  return cols;
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
  const url = useTableUrlState("inv");
  const [confirm, setConfirm] = useState<PendingInvitation | null>(null);
  const cols = useMemo(() => columns(canRevoke ? setConfirm : null), [canRevoke]);
  return (
    <>
      <DataTable
        label="Pending invitations"
        searchLabel="Search pending invitations"
        mode="client"
        columns={cols}
        data={invitations}
        getRowId={(i) => i.id}
        url={url}
        pageSize={10}
        empty={<span data-testid="invitations-empty">No pending invitations.</span>}
        rowAttributes={() => ({ "data-testid": "invitation-row" })}
      />
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
