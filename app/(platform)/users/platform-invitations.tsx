"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { PendingInvitations } from "@/components/pending-invitations";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { FirstLoad } from "@/components/query-state";

export function PlatformInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [securityAdmin, setSecurityAdmin] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const list = useQuery(trpc.platform.users.invitations.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.platform.users.invitations.queryKey() });
  const invite = useMutation(
    trpc.platform.users.invite.mutationOptions({
      onSuccess: async (inv) => {
        setSent(inv.email);
        setEmail("");
        setSecurityAdmin(false);
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.platform.users.revokeInvitation.mutationOptions());

  function submit(e: FormEvent) {
    e.preventDefault();
    setSent(null);
    invite.mutate({ email: email.trim(), securityAdmin });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
      <Section title="Invite to the console">
        <form onSubmit={submit} className="space-y-4">
          <Field id="platform-invite-email" label="E-mail">
            <TextInput id="platform-invite-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" className="mt-0.5" checked={securityAdmin} onChange={(e) => setSecurityAdmin(e.target.checked)} />
            <span>As security admin (every tenant, this page, platform settings)</span>
          </label>
          {invite.isError ? (
            <Notice tone="error" testId="invite-error">
              {errorMessage(invite.error)}
            </Notice>
          ) : null}
          {sent && !invite.isError ? (
            <Notice tone="info" testId="invite-sent">
              Invitation sent to {sent}.
            </Notice>
          ) : null}
          <Button type="submit" disabled={invite.isPending}>
            {invite.isPending ? "Sending…" : "Send invitation"}
          </Button>
        </form>
      </Section>
      <Section title="Pending console invitations">
        {!list.data || list.isError ? (
          <FirstLoad query={list} label="Loading invitations…" />
        ) : (
          <PendingInvitations
            invitations={list.data.map((i) => ({ id: i.id, email: i.email, grants: i.platformRole === "security_admin" ? "Security admin" : "Console account", expiresAt: i.expiresAt, status: i.status }))}
            canRevoke
            revoking={revoke.isPending}
            error={revoke.isError ? errorMessage(revoke.error) : null}
            onRevoke={(invitationId, done) =>
              revoke.mutate(
                { invitationId },
                {
                  onSuccess: async () => {
                    done();
                    await refresh();
                  },
                },
              )
            }
          />
        )}
      </Section>
    </div>
  );
}
