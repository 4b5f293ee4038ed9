"use client";
// The API keys of one tenant: create (the full key is shown once, in a dialog), list, revoke.
// The full key lives only in this component's state while its dialog is open — never in the
// query cache, the URL or a log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { CreateApiKeyForm, type CreatedKey } from "./create-api-key-form";
import { ApiKeysTable, type ApiKeyRow } from "./api-keys-table";
import { NewApiKeyDialog } from "./new-api-key-dialog";


export function ApiKeysPanel({ tenant, tenantName }: { tenant: string; tenantName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.apiKeys.list.queryOptions({ tenant }));
  const [revealed, setRevealed] = useState<CreatedKey | null>(null); // dropped on "Done"
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const [revokedName, setRevokedName] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });

  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async (k) => {
        setRevoking(null);
        setRevokedName(`${k.name} (${k.prefix})`);
        await refresh();
      },
    }),
  );

  return (
    <>
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading API keys…</p>
      ) : list.isError ? (
        <Notice tone="error" testId="list-error">
          {errorMessage(list.error)}
        </Notice>
      ) : (
        <>
          <CreateApiKeyForm
            tenant={tenant}
            grantableScopes={list.data.grantableScopes}
            maxDays={list.data.maxDays}
            onCreated={async (created) => {
              setRevokedName(null);
              setRevealed(created);
              await refresh();
            }}
          />

          <div aria-live="polite">
            {revokedName ? (
              <Notice tone="info" testId="revoke-success">
                Revoked {revokedName}. Requests with it are refused from now on.
              </Notice>
            ) : null}
          </div>

          <Section title="Keys">
            {list.data.items.length === 0 ? (
              <p className="text-sm text-slate-600" data-testid="api-keys-empty">
                No API keys yet. Create one above for each script or service, so each can be revoked on its own.
              </p>
            ) : (
              <ApiKeysTable
                keys={list.data.items}
                onRevoke={(k) => {
                  revoke.reset();
                  setRevokedName(null);
                  setRevoking(k);
                }}
              />
            )}
          </Section>
        </>
      )}

      {revealed ? (
        <NewApiKeyDialog
          value={revealed.value}
          keyName={revealed.name}
          scopes={revealed.scopes}
          tenant={tenant}
          onDone={() => setRevealed(null)}
        />
      ) : null}

      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API key?"
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ tenant, keyId: revoking.id })}
      >
        <p>
          <strong className="font-medium text-slate-900">{revoking?.name}</strong>{" "}
          <code className="font-mono text-xs text-slate-600">{revoking?.prefix}</code> stops working in {tenantName}.
        </p>
        <p>Requests with this key are refused from the very next request. Anything using it will stop working.</p>
        {revoke.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(revoke.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
