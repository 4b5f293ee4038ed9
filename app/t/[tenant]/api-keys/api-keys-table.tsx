"use client";
// The API keys list on the shared DataTable: server-side search (name or prefix), sort (created,
// name), cursor pages; active keys can be selected for a bulk revoke.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
import type { ApiKeyStatus, ApiKeyView } from "@/server/api-keys/service";
import { SCOPE_DESCRIPTIONS } from "@/components/scope-labels";
import { RowDangerButton } from "@/components/row-danger-button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ACTIONS_COLUMN, DataTable, type TableUrl } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/time";

export type ApiKeyRow = ApiKeyView;

const statusTones: Record<ApiKeyStatus, BadgeTone> = { active: "green", expired: "slate", revoked: "red" };

function When({ at }: { at: Date }) {
  return <RelativeTime at={at} />;
}

function columns(onRevoke: (k: ApiKeyRow) => void): ColumnDef<ApiKeyRow>[] {
  return [
    { id: "name", accessorKey: "name", enableSorting: true, enableHiding: false, meta: { label: "Name", className: "font-medium text-slate-900" } },
    {
      id: "prefix",
      meta: { label: "Prefix", className: "whitespace-nowrap font-mono text-xs text-slate-700" },
      cell: ({ row }) => row.original.prefix,
    },
    {
      id: "scopes",
      meta: { label: "Scopes" },
      cell: ({ row: { original: k } }) => (
        <ul className="flex max-w-xs flex-wrap gap-1" aria-label={`Scopes of ${k.name}`}>
          {k.scopes.map((s) => (
            <li key={s}>
              <Badge tone="indigo" className="font-mono" title={SCOPE_DESCRIPTIONS[s]}>
                {s}
              </Badge>
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: "createdBy",
      meta: { label: "Created by", className: "text-slate-700" },
      cell: ({ row: { original: k } }) => (
        <>
          {k.createdByLabel}
          {k.creatorGone ? (
            <Badge
              tone="amber"
              className="ml-2"
              data-testid="api-key-creator-gone"
              title="The person who created this key no longer has access to this tenant. Revoke the key unless someone still needs it."
            >
              Creator no longer has access
            </Badge>
          ) : null}
        </>
      ),
    },
    {
      id: "createdAt",
      accessorKey: "createdAt",
      enableSorting: true,
      meta: { label: "Created", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row }) => <When at={row.original.createdAt} />,
    },
    {
      id: "expires",
      meta: { label: "Expires", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: k } }) => (
        <span data-testid="api-key-expires">
          {k.expiresAt ? (
            <When at={k.expiresAt} />
          ) : (
            <Badge tone="amber" title="This key never expires: rotate it by hand.">
              Never
            </Badge>
          )}
        </span>
      ),
    },
    {
      id: "lastUsed",
      meta: { label: "Last used", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: k } }) => (
        <span data-testid="api-key-last-used">
          {k.lastUsedAt ? <RelativeTime at={k.lastUsedAt} /> : <span className="text-slate-500">Never used</span>}
        </span>
      ),
    },
    {
      id: "status",
      meta: { label: "Status" },
      cell: ({ row: { original: k } }) => (
        <>
          <Badge tone={statusTones[k.status]} data-testid="api-key-status">
            {k.status}
          </Badge>
          {k.status === "revoked" && k.revokedAt ? (
            <p className="mt-1 whitespace-nowrap text-xs text-slate-500">
              <When at={k.revokedAt} />
              {k.revokedByLabel ? <> by {k.revokedByLabel}</> : null}
            </p>
          ) : null}
        </>
      ),
    },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Actions" },
      cell: ({ row: { original: k } }) =>
        k.status === "active" ? (
          <RowDangerButton label={`Revoke ${k.name}`} testId="api-key-revoke" onClick={() => onRevoke(k)}>
            Revoke
          </RowDangerButton>
        ) : null,
    },
  ];
}

export function ApiKeysTable({
  keys,
  nextCursor,
  isLoading,
  error,
  url,
  onRevoke,
  bulkActions,
}: {
  keys: ApiKeyRow[] | undefined;
  nextCursor: string | null | undefined;
  isLoading: boolean;
  error?: ReactNode;
  url: TableUrl;
  onRevoke: (k: ApiKeyRow) => void;
  bulkActions: (selected: ApiKeyRow[], clear: () => void) => ReactNode;
}) {
  const cols = useMemo(() => columns(onRevoke), [onRevoke]);
  return (
    <DataTable
      label="API keys"
      searchLabel="Search keys by name or prefix"
      mode="server"
      columns={cols}
      data={keys}
      nextCursor={nextCursor}
      isLoading={isLoading}
      error={error}
      getRowId={(k) => k.id}
      url={url}
      empty={<span data-testid="api-keys-empty">No API keys yet. Create one above for each script or service, so each can be revoked on its own.</span>}
      selection={{ canSelect: (k) => k.status === "active", rowName: (k) => k.name, actions: bulkActions }}
      rowAttributes={(k) => ({ "data-testid": "api-key-row", "data-status": k.status, "data-public-id": k.publicId })}
    />
  );
}
