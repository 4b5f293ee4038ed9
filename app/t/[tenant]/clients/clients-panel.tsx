"use client";
// The OAuth clients of one tenant: the list, the tenant's regulated mode and, for clients.manage,
// registering a client. A new confidential client's secret lives only in this component's state
// while its dialog is open — never in the query cache, the URL or a log.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { ClientSecretDialog, type RevealedSecret } from "./client-secret-dialog";
import { ClientsTable } from "./clients-table";
import { RegisterClientForm } from "./register-client-form";
import { RegulatedMode } from "./regulated-mode";

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
  const list = useQuery(trpc.clients.list.queryOptions({ tenant }));
  const [registering, setRegistering] = useState(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null); // dropped on "Done"
  const [registered, setRegistered] = useState<string | null>(null);
  const base = `/t/${encodeURIComponent(tenant)}/clients`;

  if (list.isPending) return <p className="text-sm text-slate-500">Loading clients…</p>;
  if (list.isError) {
    return (
      <Notice tone="error" testId="list-error">
        {errorMessage(list.error)}
      </Notice>
    );
  }
  const data = list.data;

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
        {data.clients.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="clients-empty">
            No clients yet.{canManage ? " Register one for each application that signs users in or calls your APIs." : ""}
          </p>
        ) : (
          <ClientsTable clients={data.clients} base={base} />
        )}
      </Section>

      {revealed ? <ClientSecretDialog revealed={revealed} onDone={() => setRevealed(null)} /> : null}
    </>
  );
}
