"use client";
// A table of console sessions (device, IP, sign-in, last seen, state) with a revoke button per live
// session, confirmed in a dialog. Used on the user's own Sessions page and by security admins for
// any user (components/sessions/user-sessions-admin.tsx).
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { formatDateTime, isoString } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { tdTop, th } from "@/components/ui/table";

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
  return <time dateTime={isoString(at)}>{formatDateTime(at)}</time>;
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
  if (sessions.length === 0) return <p className="text-sm text-slate-600">No sessions.</p>;
  return (
    <>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="sessions-table">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className={th}>Device</th>
              <th scope="col" className={th}>IP address</th>
              <th scope="col" className={th}>Signed in</th>
              <th scope="col" className={th}>Last seen</th>
              <th scope="col" className={th}>State</th>
              <th scope="col" className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sessions.map((s) => (
              <tr key={s.id} data-testid={`session-${s.id}`} data-current={s.current || undefined}>
                <td className={tdTop}>
                  <div className="font-medium text-slate-900">
                    {s.device} {s.current ? <Badge tone="indigo" data-testid="current-session">this browser</Badge> : null}
                  </div>
                  <div className="max-w-md truncate text-xs text-slate-500" title={s.userAgent ?? undefined}>
                    {s.userAgent ?? "no user agent"} · {METHODS[s.authMethod] ?? s.authMethod}
                  </div>
                </td>
                <td className={`${tdTop} font-mono text-xs`}>{s.ip ?? "unknown"}</td>
                <td className={tdTop}>
                  <Time at={s.createdAt} />
                </td>
                <td className={tdTop}>
                  <Time at={s.lastSeenAt} />
                </td>
                <td className={tdTop}>
                  {s.active ? (
                    <Badge tone="green">active</Badge>
                  ) : (
                    <Badge tone="slate" title={s.endedAt ? formatDateTime(s.endedAt) : undefined}>
                      ended: {ENDED[s.endedReason ?? ""] ?? "lifetime reached"}
                    </Badge>
                  )}
                </td>
                <td className={`${tdTop} text-right`}>
                  {s.active ? (
                    <Button variant="secondary" onClick={() => setConfirm(s)} disabled={pending} data-testid="revoke-session">
                      {s.current ? "Sign out" : "Revoke"}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
