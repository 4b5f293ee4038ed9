"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useMemo, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { ACTIONS_COLUMN, DataTable, useTableUrlState } from "@/components/ui/data-table";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ListError, pagedTableState } from "@/components/query-state";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { RoleBadge } from "@/components/role-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { formatDate } from "@/components/format";
import { RelativeTime } from "@/components/time";
import { UserFactorsAdmin } from "@/components/mfa/user-factors-admin";
import { UserSessionsAdmin } from "@/components/sessions/user-sessions-admin";

type Action = "suspend" | "reactivate" | "forcePasswordReset" | "revokeSessions";

const ACTIONS: Record<Action, { label: string; title: string; consequence: (email: string) => string; tone: "danger" | "primary" }> = {
  suspend: {
    label: "Suspend",
    title: "Suspend account?",
    consequence: (e) => `${e} is signed out everywhere at once and cannot sign in until reactivated. Memberships stay.`,
    tone: "danger",
  },
  reactivate: { label: "Reactivate", title: "Reactivate account?", consequence: (e) => `${e} can sign in again.`, tone: "primary" },
  forcePasswordReset: {
    label: "Force password reset",
    title: "Force a password reset?",
    consequence: (e) => `The current password of ${e} stops working, every session ends, and a reset link valid for 1 hour is e-mailed to ${e}.`,
    tone: "danger",
  },
  revokeSessions: {
    label: "Revoke sessions",
    title: "Revoke all sessions?",
    consequence: (e) => `Every browser signed in as ${e} is signed out on its next request. The password stays valid.`,
    tone: "danger",
  },
};

/** "TOTP + 2 passkeys", "1 passkey", "None". */
function secondFactorLabel(f: { totp: boolean; passkeys: number }): string {
  const parts = [];
  if (f.totp) parts.push("TOTP");
  if (f.passkeys > 0) parts.push(f.passkeys === 1 ? "1 passkey" : `${f.passkeys} passkeys`);
  return parts.length ? parts.join(" + ") : "None";
}

type UserItem = inferRouterOutputs<AppRouter>["platform"]["users"]["list"]["items"][number];
type Details = { userId: string; panel: "sessions" | "factors" } | null;

function columns(details: Details, setDetails: (d: Details) => void, open: (a: Action, u: { id: string; email: string }) => void): ColumnDef<UserItem>[] {
  return [
    {
      id: "user",
      enableHiding: false,
      meta: { label: "User" },
      cell: ({ row: { original: u } }) => (
        <>
          <div className="font-medium text-slate-900">{u.email}</div>
          <div className="text-xs text-slate-600">
            {u.name}
            {u.platformRole === "security_admin" ? (
              <span className="ml-2">
                <RoleBadge role="security_admin" />
              </span>
            ) : null}
          </div>
        </>
      ),
    },
    { id: "status", meta: { label: "Status" }, cell: ({ row: { original: u } }) => <Badge tone={u.status === "active" ? "green" : "amber"}>{u.status}</Badge> },
    {
      id: "lastSignIn",
      meta: { label: "Last sign-in", className: "whitespace-nowrap text-slate-700" },
      cell: ({ row: { original: u } }) =>
        u.lastSignInAt ? <RelativeTime at={u.lastSignInAt} /> : <span className="text-slate-500">Never</span>,
    },
    {
      id: "secondFactor",
      meta: { label: "Second factor", className: "whitespace-nowrap" },
      cell: ({ row: { original: u } }) => (
        <span className={u.secondFactor.totp || u.secondFactor.passkeys > 0 ? "text-slate-700" : "text-slate-500"} data-testid="second-factor">
          {secondFactorLabel(u.secondFactor)}
        </span>
      ),
    },
    {
      id: "memberships",
      meta: { label: "Memberships", className: "text-slate-700" },
      cell: ({ row: { original: u } }) =>
        u.memberships.length === 0 ? (
          <span className="text-slate-500">None</span>
        ) : (
          <ul className="space-y-0.5">
            {u.memberships.map((m) => (
              <li key={m.tenantSlug}>
                {m.tenantName} <span className="text-xs text-slate-500">({m.role}{m.expiresAt ? `, ${m.expired ? "expired" : "until"} ${formatDate(m.expiresAt)}` : ""})</span>
              </li>
            ))}
          </ul>
        ),
    },
    {
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Actions", className: "min-w-[11rem] max-w-[18rem]" },
      cell: ({ row: { original: u } }) => (
        <div className="flex flex-wrap justify-end gap-1">
          <Button
            variant="ghost"
            className="py-1"
            aria-expanded={details?.userId === u.id && details.panel === "sessions"}
            aria-label={`Sessions of ${u.email}`}
            onClick={() => setDetails(details?.userId === u.id && details.panel === "sessions" ? null : { userId: u.id, panel: "sessions" })}
          >
            Sessions
          </Button>
          <Button
            variant="ghost"
            className="py-1"
            aria-expanded={details?.userId === u.id && details.panel === "factors"}
            aria-label={`Second factors of ${u.email}`}
            onClick={() => setDetails(details?.userId === u.id && details.panel === "factors" ? null : { userId: u.id, panel: "factors" })}
          >
            Second factors
          </Button>
          {u.status === "active" ? (
            <Button variant="ghost" className="py-1 text-red-700 hover:bg-red-50" onClick={() => open("suspend", u)} aria-label={`Suspend ${u.email}`}>
              Suspend
            </Button>
          ) : (
            <Button variant="ghost" className="py-1" onClick={() => open("reactivate", u)} aria-label={`Reactivate ${u.email}`}>
              Reactivate
            </Button>
          )}
          <Button variant="ghost" className="py-1 text-red-700 hover:bg-red-50" onClick={() => open("forcePasswordReset", u)} aria-label={`Force reset for ${u.email}`} title="Force a password reset">
            Force reset
          </Button>
          <Button variant="ghost" className="py-1 text-red-700 hover:bg-red-50" onClick={() => open("revokeSessions", u)} aria-label={`Revoke sessions of ${u.email}`}>
            Revoke sessions
          </Button>
        </div>
      ),
    },
  ];
}

interface Pending {
  action: Action;
  user: { id: string; email: string };
}

export function UsersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const url = useTableUrlState();
  const users = useQuery({
    ...trpc.platform.users.list.queryOptions({ search: url.search.trim() || undefined, after: url.cursor }),
    placeholderData: keepPreviousData,
  });
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [details, setDetails] = useState<Details>(null);
  const [revokeKeys, setRevokeKeys] = useState(true);
  const revokeKeysId = useId();
  // Only asked while the suspend confirmation is open: the API keys the user created that still work.
  const impact = useQuery({
    ...trpc.platform.users.suspensionImpact.queryOptions({ userId: pending?.user.id ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: pending?.action === "suspend",
  });
  const keyCount = pending?.action === "suspend" && impact.data ? impact.data.apiKeys : 0;

  const onSuccess = async () => {
    const p = pending;
    setPending(null);
    setReason("");
    if (p) setDone(`${ACTIONS[p.action].label}: done for ${p.user.email}.`);
    await queryClient.invalidateQueries({ queryKey: trpc.platform.users.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.platform.sessions.pathKey() });
  };
  const mutations = {
    suspend: useMutation(trpc.platform.users.suspend.mutationOptions({ onSuccess })),
    reactivate: useMutation(trpc.platform.users.reactivate.mutationOptions({ onSuccess })),
    forcePasswordReset: useMutation(trpc.platform.users.forcePasswordReset.mutationOptions({ onSuccess })),
    revokeSessions: useMutation(trpc.platform.users.revokeSessions.mutationOptions({ onSuccess })),
  };
  const current = pending ? mutations[pending.action] : null;

  function open(action: Action, user: { id: string; email: string }) {
    for (const m of Object.values(mutations)) m.reset();
    setDone(null);
    setReason("");
    setRevokeKeys(true);
    setPending({ action, user });
  }

  // `open` only calls stable setters and mutation resets, so the columns change with `details` alone.
  const cols = useMemo(() => columns(details, setDetails, open), [details]);

  return (
    <Section title="Accounts">
      {done ? (
        <Notice tone="info" testId="action-done" className="mb-4">
          {done}
        </Notice>
      ) : null}
      {users.isError && !users.data ? (
        <ListError error={users.error} />
      ) : (
        <DataTable
          label="Console users"
          searchLabel="Search by e-mail or name"
          mode="server"
          columns={cols}
          data={users.data?.items}
          nextCursor={users.data?.nextAfter ?? null}
          {...pagedTableState(users)}
          getRowId={(u) => u.id}
          url={url}
          empty={<span data-testid="users-empty">No users yet.</span>}
          rowAttributes={() => ({ "data-testid": "user-row" })}
          renderSubRow={(u) =>
            details?.userId === u.id ? (
              details.panel === "sessions" ? <UserSessionsAdmin userId={u.id} email={u.email} /> : <UserFactorsAdmin userId={u.id} email={u.email} />
            ) : null
          }
        />
      )}

      <ConfirmDialog
        open={pending !== null}
        title={pending ? ACTIONS[pending.action].title : ""}
        confirmLabel={pending ? ACTIONS[pending.action].label : ""}
        tone={pending ? ACTIONS[pending.action].tone : "danger"}
        pending={current?.isPending ?? false}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (!pending) return;
          if (pending.action === "suspend") mutations.suspend.mutate({ userId: pending.user.id, reason, revokeApiKeys: revokeKeys });
          else current?.mutate({ userId: pending.user.id, reason });
        }}
      >
        <p>{pending ? ACTIONS[pending.action].consequence(pending.user.email) : null}</p>
        {pending?.action === "suspend" && keyCount > 0 && impact.data ? (
          <div className="flex items-start gap-2" data-testid="suspend-api-keys">
            <input
              id={revokeKeysId}
              type="checkbox"
              checked={revokeKeys}
              onChange={(e) => setRevokeKeys(e.target.checked)}
              className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
            />
            <label htmlFor={revokeKeysId}>
              Also revoke the {keyCount === 1 ? "API key" : `${keyCount} API keys`} {pending.user.email} created (
              {impact.data.tenants.map((t) => `${t.name}: ${t.apiKeys}`).join(", ")}). Anything using {keyCount === 1 ? "it" : "them"} stops working at once.
            </label>
          </div>
        ) : null}
        <Field id="action-reason" label="Reason (kept in the platform audit trail)">
          <TextInput id="action-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
        </Field>
        {current?.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(current.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}
