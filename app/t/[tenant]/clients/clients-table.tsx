"use client";
// The clients list on the shared DataTable: server-side search (name or client id), sort (created,
// name, client id), cursor pages; with clients.manage, delete one or several (confirmed).
import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
import type { ClientView } from "@/server/clients/service";
import { CopyButton } from "@/components/copy-button";
import { RowDangerButton } from "@/components/row-danger-button";
import { ACTIONS_COLUMN, DataTable, type TableUrl } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/time";
import { EnabledBadge, PkceBadge, SecretHint } from "./client-badges";

function columns(base: string, onDelete: ((c: ClientView) => void) | null): ColumnDef<ClientView>[] {
  const cols: ColumnDef<ClientView>[] = [
    {
      id: "name",
      accessorKey: "name",
      enableSorting: true,
      enableHiding: false,
      meta: { label: "Name", className: "font-medium" },
      cell: ({ row: { original: c } }) => (
        <Link href={`${base}/${c.id}`} className="text-indigo-700 hover:text-indigo-900 hover:underline" data-testid="client-link">
          {c.name}
        </Link>
      ),
    },
    {
      id: "type",
      meta: { label: "Type", className: "text-slate-700" },
      cell: ({ row }) => <span data-testid="client-type">{row.original.typeLabel}</span>,
    },
    {
      id: "clientId",
      accessorKey: "clientId",
      enableSorting: true,
      meta: { label: "Client ID" },
      cell: ({ row: { original: c } }) => (
        <div className="flex items-center gap-1">
          <code className="block max-w-[10rem] truncate font-mono text-xs text-slate-900 xl:max-w-[16rem]" title={c.clientId} data-testid="client-id">
            {c.clientId}
          </code>
          <CopyButton value={c.clientId} label={`Copy client ID of ${c.name}`} testId="copy-client-id" />
        </div>
      ),
    },
    {
      id: "redirectUris",
      meta: { label: "Redirect URIs", className: "text-slate-700" },
      cell: ({ row: { original: c } }) => (
        <span data-testid="client-redirect-count">{c.type === "m2m" ? <span className="text-slate-500">—</span> : c.redirectUris.length}</span>
      ),
    },
    {
      id: "secrets",
      meta: { label: "Secrets", className: "text-xs" },
      cell: ({ row: { original: c } }) =>
        c.confidential ? (
          c.secrets.length ? (
            <ul className="space-y-0.5">
              {c.secrets.map((s) => (
                <li key={s.id}>
                  <SecretHint secret={s} />
                </li>
              ))}
            </ul>
          ) : (
            <span className="text-red-700">No valid secret</span>
          )
        ) : (
          <span className="text-slate-500">Public (no secret)</span>
        ),
    },
    {
      id: "status",
      meta: { label: "Status" },
      cell: ({ row: { original: c } }) => (
        <div className="flex flex-wrap gap-1">
          <EnabledBadge enabled={c.enabled} />
          <PkceBadge client={c} />
        </div>
      ),
    },
    {
      id: "createdAt",
      accessorKey: "createdAt",
      enableSorting: true,
      meta: { label: "Created", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: c } }) => (
        <RelativeTime at={c.createdAt} />
      ),
    },
  ];
  if (onDelete) {
    cols.push({
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Actions" },
      cell: ({ row: { original: c } }) => (
        <RowDangerButton label={`Delete ${c.name}`} testId="client-row-delete" onClick={() => onDelete(c)}>
          Delete
        </RowDangerButton>
      ),
    });
  }
  return cols;
}

export function ClientsTable({
  clients,
  nextCursor,
  isLoading,
  error,
  url,
  base,
  empty,
  onDelete,
  bulkActions,
}: {
  clients: ClientView[] | undefined;
  nextCursor: string | null | undefined;
  isLoading: boolean;
  error?: ReactNode;
  url: TableUrl;
  base: string;
  empty: ReactNode;
  /** Null without clients.manage: no actions, no selection. */
  onDelete: ((c: ClientView) => void) | null;
  bulkActions: (selected: ClientView[], clear: () => void) => ReactNode;
}) {
  const cols = useMemo(() => columns(base, onDelete), [base, onDelete]);
  return (
    <DataTable
      label="Clients"
      searchLabel="Search clients by name or client ID"
      mode="server"
      columns={cols}
      data={clients}
      nextCursor={nextCursor}
      isLoading={isLoading}
      error={error}
      getRowId={(c) => c.id}
      url={url}
      empty={empty}
      selection={onDelete ? { rowName: (c) => c.name, actions: bulkActions } : undefined}
      rowAttributes={(c) => ({ "data-testid": "client-row", "data-client-id": c.clientId, "data-enabled": String(c.enabled), className: c.enabled ? undefined : "bg-slate-50/60" })}
    />
  );
}
