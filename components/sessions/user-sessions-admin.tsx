"use client";
// Security admins: one user's console sessions, with revoke one / revoke all. For the platform
// Users page (platform.sessions.list / platform.sessions.revoke).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { SessionTable } from "./session-table";
import { LoadingSkeleton } from "@/components/query-state";

export function UserSessionsAdmin({ userId, email }: { userId: string; email: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmAll, setConfirmAll] = useState(false);
  const list = useQuery(trpc.platform.sessions.list.queryOptions({ userId }));
  const revoke = useMutation(
    trpc.platform.sessions.revoke.mutationOptions({
      onSuccess: () => {
        setConfirmAll(false);
        void queryClient.invalidateQueries({ queryKey: trpc.platform.sessions.list.queryKey({ userId }) });
      },
    }),
  );
  const error = list.error ?? revoke.error;
  const live = list.data?.filter((s) => s.active).length ?? 0;
  return (
    <div className="space-y-3" data-testid="user-sessions">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900">Sessions of {email}</h3>
        <Button variant="danger" disabled={live === 0 || revoke.isPending} onClick={() => setConfirmAll(true)} data-testid="revoke-all-sessions">
          Revoke all sessions
        </Button>
      </div>
      {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
      {list.data ? (
        <SessionTable sessions={list.data} caption={`Console sessions of ${email}`} pending={revoke.isPending} onRevoke={(s) => revoke.mutate({ userId, sessionId: s.id })} />
      ) : (
        <LoadingSkeleton label="Loading sessions…" />
      )}
      <ConfirmDialog
        open={confirmAll}
        title={`Revoke every session of ${email}?`}
        confirmLabel="Revoke all sessions"
        pending={revoke.isPending}
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => revoke.mutate({ userId })}
      >
        <p>
          {live === 1 ? "1 browser" : `${live} browsers`} signed in as {email} will be signed out on their next request; they can sign in again unless the
          account is suspended.
        </p>
      </ConfirmDialog>
    </div>
  );
}
