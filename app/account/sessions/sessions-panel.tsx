"use client";
// The signed-in operator's sessions: revoke one, or sign out every other browser.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { SessionTable } from "@/components/sessions/session-table";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { LoadingSkeleton } from "@/components/query-state";

export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmOthers, setConfirmOthers] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery(trpc.sessions.mine.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.sessions.mine.queryKey() });
  const revoke = useMutation(
    trpc.sessions.revoke.mutationOptions({
      onSuccess: (r) => {
        // Revoking this browser's own session signs it out: go to the sign-in page.
        if (r.current) window.location.assign("/signin");
        else {
          setDone("The session was revoked.");
          void refresh();
        }
      },
    }),
  );
  const others = useMutation(
    trpc.sessions.revokeOthers.mutationOptions({
      onSuccess: (r) => {
        setConfirmOthers(false);
        setDone(r.revoked === 1 ? "1 other session was signed out." : `${r.revoked} other sessions were signed out.`);
        void refresh();
      },
    }),
  );
  const error = list.error ?? revoke.error ?? others.error;
  const live = list.data?.filter((s) => s.active && !s.current).length ?? 0;
  return (
    <Section
      title="Your sessions"
      actions={
        <Button variant="danger" onClick={() => setConfirmOthers(true)} disabled={live === 0 || others.isPending} data-testid="revoke-others">
          Sign out everywhere else
        </Button>
      }
    >
      <div className="space-y-3">
        {error ? <Notice tone="error">{errorMessage(error)}</Notice> : null}
        {done ? (
          <Notice tone="info" testId="sessions-done">
            {done}
          </Notice>
        ) : null}
        {list.data ? (
          <SessionTable
            sessions={list.data}
            caption="Your console sessions"
            pending={revoke.isPending}
            onRevoke={(s) => {
              setDone(null);
              revoke.mutate({ sessionId: s.id });
            }}
          />
        ) : (
          <LoadingSkeleton label="Loading your sessions…" />
        )}
      </div>
      <ConfirmDialog
        open={confirmOthers}
        title="Sign out everywhere else?"
        confirmLabel="Sign out other sessions"
        pending={others.isPending}
        onCancel={() => setConfirmOthers(false)}
        onConfirm={() => others.mutate()}
      >
        <p>
          {live === 1 ? "1 other browser" : `${live} other browsers`} will be signed out on their next request; unsaved work there is lost. This browser stays
          signed in.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
