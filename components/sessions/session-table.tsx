"use client";
// A table of console sessions (device, IP, sign-in, last seen, state) with a revoke button per live
// session, confirmed in a dialog. Used on the user's own Sessions page and by security admins for
// any user (components/sessions/user-sessions-admin.tsx).
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime } from "@/components/format";
import { RelativeTime } from "@/components/time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export interface SessionItem {
  id: string;
  current: boolean;
  active: boolean;
  device: string;
  userAgent: string | null;
  ip: string | null;
  authMethod: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endedReason: string | null;
}

const ENDED: Record<string, string> = {
  signed_out: "signed out",
  revoked: "revoked",
  signed_out_everywhere: "signed out everywhere",
  revoked_by_admin: "revoked by a security admin",
  password_changed: "password changed",
  password_reset: "password reset",
  suspended: "account suspended",
  no_membership: "last membership removed",
  idle: "idle timeout",
  expired: "lifetime reached",
};

const METHODS: Record<string, string> = { password: "password", oidc: "single sign-on" };

function Time({ at }: { at: Date }) {
  return <RelativeTime at={at} />;
}

function columns(pending: boolean, ask: (s: SessionItem) => void): ColumnDef<SessionItem>[] {
  return [
    {
      id: "device",
      accessorKey: "device",
      enableHiding: false,
      meta: { label: "Device", className: "align-top" },
      cell: ({ row: { original: s } }) => (
        <>
          <div className="font-medium text-slate-900">
            {s.device} {s.current ? <Badge tone="indigo" data-testid="current-session">this browser</Badge> : null}
          </div>
          <div className="max-w-md truncate text-xs text-slate-500" title={s.userAgent ?? undefined}>
            {s.userAgent ?? "no user agent"} · {METHODS[s.authMethod] ?? s.authMethod}
          </div>
        </>
      ),
    },
    { id: "ip", accessorKey: "ip", meta: { label: "IP address", className: "align-top font-mono text-xs" }, cell: ({ row }) => row.original.ip ?? "unknown" },
    { id: "createdAt", accessorKey: "createdAt", meta: { label: "Signed in", className: "align-top" }, cell: ({ row }) => <Time at={row.original.createdAt} /> },
    { id: "lastSeenAt", accessorKey: "lastSeenAt", meta: { label: "Last seen", className: "align-top" }, cell: ({ row }) => <Time at={row.original.lastSeenAt} /> },
    {
      id: "state",
      accessorFn: (s) => (s.active ? "active" : `ended: ${ENDED[s.endedReason ?? ""] ?? "lifetime reached"}`),
      meta: { label: "State", className: "align-top" },
      cell: ({ row: { original: s } }) =>
        s.active ? (
          <Badge tone="green">active</Badge>
        ) : (
          <Badge tone="slate" title={s.endedAt ? formatDateTime(s.endedAt) : undefined}>
            ended: {ENDED[s.endedReason ?? ""] ?? "lifetime reached"}
          </Badge>
        ),
    },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      enableSorting: false,
      meta: { label: "Actions", className: "align-top" },
      cell: ({ row: { original: s } }) =>
        s.active ? (
          <Button variant="secondary" onClick={() => ask(s)} disabled={pending} data-testid="revoke-session">
            {s.current ? "Sign out" : "Revoke"}
          </Button>
        ) : null,
    },
  ];
}

export function SessionTable({
  sessions,
  caption,
  pending,
  onRevoke,
}: {
  sessions: SessionItem[];
  caption: string;
  pending: boolean;
  onRevoke: (s: SessionItem) => void;
}) {
  const [confirm, setConfirm] = useState<SessionItem | null>(null);
  const url = useTableUrlState("sessions");
  const cols = useMemo(() => columns(pending, setConfirm), [pending]);
  return (
    <>
      <DataTable
        label={caption}
        searchLabel="Search sessions by device, IP or state"
        mode="client"
        columns={cols}
        data={sessions}
        getRowId={(s) => s.id}
        url={url}
        empty="No sessions."
        testId="sessions-table"
        rowAttributes={(s) => ({ "data-testid": `session-${s.id}`, "data-current": s.current ? "true" : undefined })}
      />
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.current ? "Sign out this browser?" : "Revoke this session?"}
        confirmLabel={confirm?.current ? "Sign out" : "Revoke session"}
        pending={pending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) onRevoke(confirm);
          setConfirm(null);
        }}
      >
        <p>
          {confirm?.device} ({confirm?.ip ?? "unknown IP"}) will be signed out on its next request; any unsaved work there is lost.
        </p>
      </ConfirmDialog>
    </>
  );
}
