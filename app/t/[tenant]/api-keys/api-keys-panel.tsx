"use client";
// The API keys of one tenant: create (the full key is shown once, in a dialog), list, revoke one or
// several. The full key lives only in this component's state while its dialog is open — never in
// the query cache, the URL or a log.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { BulkActionButton, BulkConfirmDialog, countOf, namesSummary, useBulkConfirm } from "@/components/bulk-confirm";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { useTableUrlState } from "@/components/ui/data-table";
import { apiKeysListInput } from "./list-input";
import { CreateApiKeyForm, type CreatedKey } from "./create-api-key-form";
import { ApiKeysTable, type ApiKeyRow } from "./api-keys-table";
import { NewApiKeyDialog } from "./new-api-key-dialog";
import { FirstLoad, pagedTableState } from "@/components/query-state";

const KEY_NOUN = ["key", "keys"] as const;

export function ApiKeysPanel({ tenant, tenantName }: { tenant: string; tenantName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const url = useTableUrlState();
  const list = useQuery({ ...trpc.apiKeys.list.queryOptions(apiKeysListInput(tenant, url)), placeholderData: keepPreviousData });
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
  const revokeMany = useMutation(
    trpc.apiKeys.revokeMany.mutationOptions({
      onSuccess: async (r) => {
        const names = bulk.items?.filter((k) => r.revoked.includes(k.id)).map((k) => k.name) ?? [];
        bulk.done();
        setRevokedName(namesSummary(names, KEY_NOUN));
        await refresh();
      },
    }),
  );
  const resetRevokeMany = revokeMany.reset;
  const bulk = useBulkConfirm<ApiKeyRow>(
    useCallback(() => {
      resetRevokeMany();
      setRevokedName(null);
    }, [resetRevokeMany]),
  );

  const resetRevoke = revoke.reset; // stable: the columns are not rebuilt on every render
  const onRevoke = useCallback(
    (k: ApiKeyRow) => {
      resetRevoke();
      setRevokedName(null);
      setRevoking(k);
    },
    [resetRevoke],
  );

  const data = list.data;
  if (!data) return <FirstLoad query={list} label="Loading API keys…" />;

  return (
    <>
      <CreateApiKeyForm
        tenant={tenant}
        grantableScopes={data.grantableScopes}
        maxDays={data.maxDays}
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
        <ApiKeysTable
          keys={data.items}
          nextCursor={data.nextCursor}
          {...pagedTableState(list)}
          url={url}
          onRevoke={onRevoke}
          bulkActions={(keys, clear) => <BulkActionButton verb="Revoke" count={keys.length} noun={KEY_NOUN} testId="bulk-revoke" onClick={() => bulk.ask(keys, clear)} />}
        />
      </Section>

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

      <BulkConfirmDialog
        items={bulk.items}
        title={`Revoke ${countOf(bulk.items?.length ?? 0, ["API key", "API keys"])}?`}
        confirmLabel={`Revoke ${countOf(bulk.items?.length ?? 0, KEY_NOUN)}`}
        mutation={revokeMany}
        namesTestId="bulk-revoke-names"
        itemKey={(k) => k.id}
        itemName={(k) => k.name}
        itemCode={(k) => k.prefix}
        onCancel={bulk.cancel}
        onConfirm={(keys) => revokeMany.mutate({ tenant, ids: keys.map((k) => k.id) })}
      >
        <p>These keys stop working in {tenantName} from the very next request; anything using them will stop working:</p>
      </BulkConfirmDialog>
    </>
  );
}
