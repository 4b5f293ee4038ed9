"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useId, useState } from "react";
import { useTableUrlState } from "@/components/ui/data-table";
import { membersListInput } from "./list-input";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { PendingInvitations } from "@/components/pending-invitations";
import { InviteMemberForm } from "./invite-member-form";
import { MembersTable, type MemberRow } from "./members-table";
import { FirstLoad, pagedTableState } from "@/components/query-state";


export function MembersPanel({
  tenant,
  tenantName,
  canManage,
  currentUserId,
}: {
  tenant: string;
  tenantName: string;
  canManage: boolean;
  currentUserId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const url = useTableUrlState();
  const members = useQuery({ ...trpc.members.list.queryOptions(membersListInput(tenant, url)), placeholderData: keepPreviousData });
  const invitations = useQuery(trpc.invitations.list.queryOptions({ tenant }));
  const revokeInvitation = useMutation(trpc.invitations.revoke.mutationOptions());
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [revokeKeys, setRevokeKeys] = useState(true);
  const revokeKeysId = useId();
  // Only asked while the dialog is open: how many of the member's API keys still work.
  const impact = useQuery({
    ...trpc.members.removalImpact.queryOptions({ tenant, membershipId: removing?.id ?? "00000000-0000-0000-0000-000000000000" }),
    enabled: canManage && removing !== null,
  });
  const keyCount = removing && impact.data ? impact.data.apiKeys : 0;

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey() });
    router.refresh(); // counts in the overview and the shell come from the server
  };

  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        const self = removing?.user.id === currentUserId;
        setRemoving(null);
        if (self) {
          router.push("/tenants");
          return;
        }
        await refresh();
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.pathKey() });
      },
    }),
  );

  const resetRemoveFn = remove.reset;
  const onRemove = useCallback(
    (m: MemberRow) => {
      resetRemoveFn();
      setRevokeKeys(true);
      setRemoving(m);
    },
    [resetRemoveFn],
  );
  const isSelf = removing?.user.id === currentUserId;

  return (
    <>
      {canManage ? <InviteMemberForm tenant={tenant} onInvited={refresh} /> : null}

      <Section title="Pending invitations">
        {!invitations.data || invitations.isError ? (
          <FirstLoad query={invitations} label="Loading invitations…" />
        ) : (
          <PendingInvitations
            invitations={invitations.data.map((i) => ({
              id: i.id,
              email: i.email,
              grants: i.role === "owner" ? "Owner" : `Support (read-only), ${i.supportDays} days`,
              expiresAt: i.expiresAt,
              status: i.status,
            }))}
            canRevoke={canManage}
            revoking={revokeInvitation.isPending}
            error={revokeInvitation.isError ? errorMessage(revokeInvitation.error) : null}
            onRevoke={(invitationId, done) =>
              revokeInvitation.mutate(
                { tenant, invitationId },
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

      <Section title="Current members">
        {!members.data ? (
          <FirstLoad query={members} label="Loading members…" />
        ) : (
          <MembersTable
            members={members.data.items}
            nextCursor={members.data.nextCursor}
            {...pagedTableState(members)}
            url={url}
            onRemove={canManage ? onRemove : null}
          />
        )}
      </Section>

      <ConfirmDialog
        open={removing !== null}
        title={removing?.role === "support" ? "Revoke support access?" : "Remove member?"}
        confirmLabel="Remove"
        pending={remove.isPending}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ tenant, membershipId: removing.id, revokeApiKeys: revokeKeys })}
      >
        <p>
          {isSelf ? (
            <>You will lose access to {tenantName} immediately.</>
          ) : (
            <>
              <strong className="font-medium text-slate-900">{removing?.user.email}</strong> will lose access to {tenantName} immediately.
            </>
          )}
        </p>
        {keyCount > 0 ? (
          <div className="flex items-start gap-2" data-testid="remove-member-api-keys">
            <input
              id={revokeKeysId}
              type="checkbox"
              checked={revokeKeys}
              onChange={(e) => setRevokeKeys(e.target.checked)}
              className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
            />
            <label htmlFor={revokeKeysId}>
              Also revoke the {keyCount === 1 ? "API key" : `${keyCount} API keys`} {isSelf ? "you" : "they"} created in {tenantName}. Anything
              using {keyCount === 1 ? "it" : "them"} stops working at once.
            </label>
          </div>
        ) : null}
        {remove.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(remove.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
