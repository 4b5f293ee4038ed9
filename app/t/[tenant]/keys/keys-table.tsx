"use client";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useRef } from "react";
import type { SigningKeyView } from "@/server/signing-keys/service";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { RowDangerButton } from "@/components/row-danger-button";
import { RelativeTime } from "@/components/time";
import { CopyButton } from "@/components/copy-button";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";

export type KeyState = SigningKeyView["state"];

const stateTones: Record<KeyState, BadgeTone> = { current: "green", next: "indigo", previous: "amber", revoked: "red" };
const stateLabels: Record<KeyState, string> = { current: "Current", next: "Next", previous: "Previous", revoked: "Revoked" };
const stateHints: Record<KeyState, string> = {
  current: "Signs new tokens",
  next: "Published, signs nothing yet",
  previous: "Still verifies the tokens it signed",
  revoked: "No longer published",
};

export function KeyStateBadge({ state }: { state: KeyState }) {
  return (
    <Badge tone={stateTones[state]} title={stateHints[state]} data-testid="key-state">
      {stateLabels[state]}
    </Badge>
  );
}


function When({ at }: { at: Date | null }) {
  if (!at) {
    return (
      <>
        <span aria-hidden="true" className="text-slate-400">—</span>
        <span className="sr-only">Not yet</span>
      </>
    );
  }
  return <DateTime at={at} />;
}

/** "3 days ago", the exact local time on hover. */
function DateTime({ at }: { at: Date }) {
  return <RelativeTime at={at} className="whitespace-nowrap" />;
}

function columns(onRevoke: ((k: SigningKeyView) => void) | null): ColumnDef<SigningKeyView>[] {
  const cols: ColumnDef<SigningKeyView>[] = [
    { id: "state", accessorKey: "state", enableHiding: false, meta: { label: "State" }, cell: ({ row }) => <KeyStateBadge state={row.original.state} /> },
    {
      id: "alg",
      accessorKey: "alg",
      meta: { label: "Algorithm", className: "whitespace-nowrap font-mono" },
      cell: ({ row }) => <span data-testid="key-alg">{row.original.alg}</span>,
    },
    {
      id: "kid",
      accessorKey: "kid",
      meta: { label: "Key ID (kid)" },
      cell: ({ row: { original: k } }) => (
        <div className="flex items-center gap-1">
          <code className="block max-w-[8rem] truncate font-mono text-slate-900 xl:max-w-[12rem]" title={k.kid} data-testid="key-kid">
            {k.kid}
          </code>
          <CopyButton value={k.kid} label={`Copy key ID ${k.kid}`} />
        </div>
      ),
    },
    { id: "createdAt", accessorKey: "createdAt", meta: { label: "Created" }, cell: ({ row }) => <When at={row.original.createdAt} /> },
    {
      id: "activatedAt",
      accessorKey: "activatedAt",
      meta: { label: "Activated" },
      cell: ({ row: { original: k } }) =>
        k.state === "next" && k.autoPromoteAt ? (
          <span className="block min-w-[9rem] text-indigo-700" data-testid="key-auto-promote">
            Auto-promotes at <DateTime at={k.autoPromoteAt} />
          </span>
        ) : (
          <When at={k.activatedAt} />
        ),
    },
    { id: "retiredAt", accessorKey: "retiredAt", meta: { label: "Retired" }, cell: ({ row }) => <When at={row.original.retiredAt} /> },
    { id: "revokedAt", accessorKey: "revokedAt", meta: { label: "Revoked" }, cell: ({ row }) => <When at={row.original.revokedAt} /> },
  ];
  if (onRevoke) {
    cols.push({
      id: ACTIONS_COLUMN,
      enableHiding: false,
      enableSorting: false,
      meta: { label: "Actions" },
      cell: ({ row: { original: k } }) =>
        k.state === "previous" ? (
          <RowDangerButton label={`Revoke key ${k.kid}`} testId="key-revoke" onClick={() => onRevoke(k)}>
            Revoke
          </RowDangerButton>
        ) : null,
    });
  }
  return cols;
}

/** Signing keys: few per tenant (current, next, previous, revoked), so searched and sorted here. */
export function KeysTable({ keys, canManage, onRevoke }: { keys: SigningKeyView[]; canManage: boolean; onRevoke: (k: SigningKeyView) => void }) {
  const url = useTableUrlState();
  const revoke = useRef(onRevoke);
  revoke.current = onRevoke;
  const cols = useMemo(() => columns(canManage ? (k) => revoke.current(k) : null), [canManage]);
  return (
    <DataTable
      label="Signing keys"
      searchLabel="Search keys by kid, algorithm or state"
      mode="client"
      columns={cols}
      data={keys}
      getRowId={(k) => k.id}
      url={url}
      empty={<span data-testid="keys-empty">No signing keys.</span>}
      rowAttributes={(k) => ({ "data-testid": "key-row", "data-state": k.state, "data-kid": k.kid, className: k.state === "revoked" ? "text-slate-500" : undefined })}
    />
  );
}
