"use client";
// The members list on the shared DataTable: server-side search (e-mail or name), sort (joined,
// role), cursor pages; Remove is in the pinned actions column.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
import type { TenantRole } from "@/server/isomorphic/auth/permissions";
import { RoleBadge } from "@/components/role-badge";
import { RowDangerButton } from "@/components/row-danger-button";
import { ACTIONS_COLUMN, DataTable, type TableUrl } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/time";

export interface MemberRow {
  id: string;
  role: string;
  expiresAt: Date | null;
  createdAt: Date;
  user: { id: string; email: string; name: string; status: string };
}

function columns(onRemove: ((m: MemberRow) => void) | null): ColumnDef<MemberRow>[] {
  const cols: ColumnDef<MemberRow>[] = [
    { id: "email", enableHiding: false, meta: { label: "E-mail", className: "font-medium text-slate-900" }, cell: ({ row }) => row.original.user.email },
    {
      id: "name",
      meta: { label: "Name", className: "text-slate-700" },
      cell: ({ row: { original: m } }) => (
        <>
          {m.user.name}
          {m.user.status !== "active" ? <span className="ml-2 text-xs text-slate-500">({m.user.status})</span> : null}
        </>
      ),
    },
    {
      id: "role",
      accessorKey: "role",
      enableSorting: true,
      meta: { label: "Role" },
      cell: ({ row: { original: m } }) => (m.role === "owner" || m.role === "support" ? <RoleBadge role={m.role as TenantRole} /> : m.role),
    },
    {
      id: "expires",
      meta: { label: "Expires", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: m } }) =>
        m.expiresAt ? <RelativeTime at={m.expiresAt} /> : <span className="text-slate-500">Never</span>,
    },
    {
      id: "createdAt",
      accessorKey: "createdAt",
      enableSorting: true,
      meta: { label: "Joined", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: m } }) => (
        <RelativeTime at={m.createdAt} />
      ),
    },
  ];
  if (onRemove) {
    cols.push({
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Actions" },
      cell: ({ row: { original: m } }) => (
        <RowDangerButton label={`Remove ${m.user.email}`} onClick={() => onRemove(m)}>
          Remove
        </RowDangerButton>
      ),
    });
  }
  return cols;
}

export function MembersTable({
  members,
  nextCursor,
  isLoading,
  error,
  url,
  onRemove,
}: {
  members: MemberRow[] | undefined;
  nextCursor: string | null | undefined;
  isLoading: boolean;
  error?: ReactNode;
  url: TableUrl;
  /** Null without members.manage. */
  onRemove: ((m: MemberRow) => void) | null;
}) {
  const cols = useMemo(() => columns(onRemove), [onRemove]);
  return (
    <DataTable
      label="Members"
      searchLabel="Search members by e-mail or name"
      mode="server"
      columns={cols}
      data={members}
      nextCursor={nextCursor}
      isLoading={isLoading}
      error={error}
      getRowId={(m) => m.id}
      url={url}
      empty={<span data-testid="members-empty">No members yet.</span>}
      rowAttributes={() => ({ "data-testid": "member-row" })}
    />
  );
}
