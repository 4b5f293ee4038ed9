"use client";
// The OAuth clients of one tenant: the list, the tenant's regulated mode and, for clients.manage,
// registering a client. A new confidential client's secret lives only in this component's state
// while its dialog is open — never in the query cache, the URL or a log.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { ClientView } from "@/server/clients/service";
import { BulkActionButton, BulkConfirmDialog, countOf, namesSummary, useBulkConfirm } from "@/components/bulk-confirm";
import { useTableUrlState } from "@/components/ui/data-table";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { clientsListInput } from "./list-input";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { ClientSecretDialog, type RevealedSecret } from "./client-secret-dialog";
import { ClientsTable } from "./clients-table";
import { RegisterClientForm } from "./register-client-form";
import { RegulatedMode } from "./regulated-mode";
import { FirstLoad, pagedTableState } from "@/components/query-state";

const CLIENT_NOUN = ["client", "clients"] as const;

export function ClientsPanel({
  tenant,
  canManage,
  canManagePolicies,
  canTurnOffRegulated = false,
}: {
  tenant: string;
  canManage: boolean;
  canManagePolicies: boolean;
  canTurnOffRegulated?: boolean;
}) {
  const trpc = useTRPC();
  const locked = useTenantLock();
  const queryClient = useQueryClient();
  const url = useTableUrlState();
  const list = useQuery({ ...trpc.clients.list.queryOptions(clientsListInput(tenant, url)), placeholderData: keepPreviousData });
  const deleteMany = useMutation(
    trpc.clients.deleteMany.mutationOptions({
      onSuccess: async (r) => {
        const names = deleting.items?.filter((c) => r.deleted.includes(c.id.toLowerCase())).map((c) => c.name) ?? [];
        deleting.done();
        setRegistered(`Deleted ${namesSummary(names, CLIENT_NOUN)}. Their logins and tokens stop working.`);
        await queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
      },
    }),
  );
  const resetDelete = deleteMany.reset;
  const deleting = useBulkConfirm<ClientView>(
    useCallback(() => {
      resetDelete();
      setRegistered(null);
    }, [resetDelete]),
  );
  const confirmDelete = deleting.ask;
  const onDelete = useCallback((c: ClientView) => confirmDelete([c]), [confirmDelete]);
  const [registering, setRegistering] = useState(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null); // dropped on "Done"
  const [registered, setRegistered] = useState<string | null>(null);
  const base = `/t/${encodeURIComponent(tenant)}/clients`;

  const data = list.data;
  if (!data) return <FirstLoad query={list} label="Loading clients…" />;

  return (
    <>
      <RegulatedMode tenant={tenant} regulated={data.regulatedMode} canManage={canManagePolicies} canTurnOff={canTurnOffRegulated} />

      {registering && canManage ? (
        <RegisterClientForm
          tenant={tenant}
          types={data.types}
          regulated={data.regulatedMode}
          onCancel={() => setRegistering(false)}
          onCreated={async ({ client, secret }) => {
            setRegistering(false);
            setRegistered(
              client.confidential
                ? `Registered ${client.name}.`
                : `Registered ${client.name}. It is a public client: it has no secret and must use PKCE.`,
            );
            if (secret) {
              setRevealed({ title: "Copy your client secret", clientName: client.name, clientId: client.clientId, secret, summary: "was registered." });
            }
            await queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
          }}
        />
      ) : null}

      <div aria-live="polite">
        {registered ? (
          <Notice tone="info" testId="client-created">
            {registered}
          </Notice>
        ) : null}
      </div>

      <Section
        title="Clients"
        actions={
          canManage && !registering ? (
            <Button
              onClick={() => {
                setRegistered(null);
                setRegistering(true);
              }}
              {...lockedButtonProps(locked)}
              data-testid="client-register"
            >
              Register client
            </Button>
          ) : null
        }
      >
        <ClientsTable
          clients={data.items}
          nextCursor={data.nextCursor}
          {...pagedTableState(list)}
          url={url}
          base={base}
          empty={
            <span data-testid="clients-empty">
              No clients yet.{canManage ? " Register one for each application that signs users in or calls your APIs." : ""}
            </span>
          }
          onDelete={canManage ? onDelete : null}
          bulkActions={(clients, clear) => <BulkActionButton verb="Delete" count={clients.length} noun={CLIENT_NOUN} testId="bulk-delete" onClick={() => confirmDelete(clients, clear)} />}
        />
      </Section>

      <BulkConfirmDialog
        items={deleting.items}
        title={deleting.items?.length === 1 ? "Delete client?" : `Delete ${countOf(deleting.items?.length ?? 0, CLIENT_NOUN)}?`}
        confirmLabel={deleting.items?.length === 1 ? "Delete client" : `Delete ${countOf(deleting.items?.length ?? 0, CLIENT_NOUN)}`}
        mutation={deleteMany}
        namesTestId="bulk-delete-names"
        itemKey={(c) => c.id}
        itemName={(c) => c.name}
        itemCode={(c) => c.clientId}
        onCancel={deleting.cancel}
        onConfirm={(clients) => deleteMany.mutate({ tenant, ids: clients.map((c) => c.id) })}
      >
        <p>
          Deleted for good: their registrations, secrets and redirect URIs. Applications using them can no longer sign users in or get
          tokens.
        </p>
      </BulkConfirmDialog>

      {revealed ? <ClientSecretDialog revealed={revealed} onDone={() => setRevealed(null)} /> : null}
    </>
  );
}
