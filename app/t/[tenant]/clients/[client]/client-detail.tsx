"use client";
// One OAuth client: what it is, its secrets, and — for clients.manage — editing its name, grant
// types and lists (checked live, as when registering), enabling/disabling, rotating the secret
// (with an overlap so deployments can switch without downtime) and deleting it. A new secret lives
// only in this component's state while its dialog is open.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import type { ClientView } from "@/server/clients/service";
import { useTRPC } from "@/components/trpc/client";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CopyButton } from "@/components/copy-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/components/format";
import { EnabledBadge, PkceBadge, SecretHint } from "../client-badges";
import { GRANT_DESCRIPTIONS } from "../client-fields";
import { ClientSecretDialog, type RevealedSecret } from "../client-secret-dialog";
import { EditClientForm } from "./edit-client-form";
import { RelativeTime } from "@/components/time";
import { LoadingSkeleton } from "@/components/query-state";

type Dialog = "disable" | "delete" | "rotate";

const OVERLAP_CHOICES: ReadonlyArray<{ hours: number; label: string }> = [
  { hours: 0, label: "No overlap — the current secret stops working at once" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "24 hours" },
  { hours: 72, label: "72 hours (3 days)" },
  { hours: 168, label: "168 hours (7 days)" },
];
const DEFAULT_OVERLAP = 24;

function ClientIdValue({ client }: { client: ClientView }) {
  return <code className="break-all font-mono text-slate-900">{client.clientId}</code>;
}

function UriList({ uris, empty, testId }: { uris: string[]; empty: string; testId: string }) {
  if (!uris.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ul className="space-y-0.5" data-testid={testId}>
      {uris.map((u) => (
        <li key={u}>
          <code className="break-all font-mono text-xs text-slate-900">{u}</code>
        </li>
      ))}
    </ul>
  );
}

export function ClientDetail({
  tenant,
  tenantName,
  clientRowId,
  canManage,
  maxOverlapHours,
}: {
  tenant: string;
  tenantName: string;
  clientRowId: string;
  canManage: boolean;
  maxOverlapHours: number;
}) {
  const trpc = useTRPC();
  const locked = useTenantLock();
  const queryClient = useQueryClient();
  const ids = useId();
  const getKey = trpc.clients.get.queryKey({ tenant, clientRowId });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [overlap, setOverlap] = useState(DEFAULT_OVERLAP);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null); // dropped on "Done"
  const [done, setDone] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<{ name: string; clientId: string } | null>(null);
  const get = useQuery({ ...trpc.clients.get.queryOptions({ tenant, clientRowId }), enabled: !deleted });
  // The type rules and the tenant's regulated mode (shared with the list page's cache).
  const list = useQuery(trpc.clients.list.queryOptions({ tenant }));

  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.clients.list.queryKey() });
  const stored = (c: ClientView) => {
    queryClient.setQueryData(getKey, c);
    return refreshList();
  };

  const setEnabled = useMutation(
    trpc.clients.setEnabled.mutationOptions({
      onSuccess: async (c) => {
        setDialog(null);
        setDone(c.enabled ? `${c.name} is enabled: it may start logins again.` : `${c.name} is disabled: it cannot start new logins.`);
        await stored(c);
      },
    }),
  );
  const remove = useMutation(
    trpc.clients.delete.mutationOptions({
      onSuccess: async () => {
        const c = get.data;
        setDialog(null);
        setDeleted({ name: c?.name ?? "The client", clientId: c?.clientId ?? "" });
        queryClient.removeQueries({ queryKey: getKey });
        await refreshList();
      },
    }),
  );
  // gcTime 0: the finished mutation (whose result holds the secret) leaves the cache at once.
  const rotate = useMutation(trpc.clients.rotateSecret.mutationOptions({ gcTime: 0 }));

  function open(d: Dialog) {
    setEnabled.reset();
    remove.reset();
    rotate.reset();
    setDone(null);
    if (d === "rotate") setOverlap(DEFAULT_OVERLAP);
    setDialog(d);
  }

  /** Disabling is confirmed (logins stop); enabling is not. */
  function toggleEnabled(client: ClientView) {
    if (client.enabled) return open("disable");
    setEnabled.reset();
    setDone(null);
    setEnabled.mutate({ tenant, clientRowId: client.id, enabled: true });
  }

  function confirmRotate(client: ClientView) {
    const hours = overlap;
    rotate.mutate(
      { tenant, clientRowId: client.id, overlapHours: hours },
      {
        onSuccess: async (res) => {
          rotate.reset();
          setDialog(null);
          const previous = res.client.secrets.find((s) => s.expiresAt !== null);
          setRevealed({
            title: "Copy the new client secret",
            clientName: res.client.name,
            clientId: res.client.clientId,
            secret: res.secret,
            summary:
              hours > 0 && previous?.expiresAt ? (
                <>
                  has a new secret. The previous secret keeps working until {formatDateTime(previous.expiresAt)}: roll the new one out
                  before then.
                </>
              ) : (
                <>has a new secret. The previous secret no longer works.</>
              ),
          });
          await stored(res.client);
        },
      },
    );
  }

  if (deleted) {
    return (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">Client deleted</h1>
        <Notice tone="info" testId="client-deleted">
          {deleted.name} was deleted from {tenantName}. Its client_id <code className="font-mono">{deleted.clientId}</code> and its redirect
          URIs are released; logins with it are refused.
        </Notice>
        <p className="text-sm">
          <Link href={`/t/${encodeURIComponent(tenant)}/clients`} className="font-medium text-indigo-600 hover:text-indigo-800">
            Back to the clients
          </Link>
        </p>
      </>
    );
  }

  if (get.isPending) {
    return (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">Client</h1>
        <LoadingSkeleton label="Loading the client…" />
      </>
    );
  }
  if (get.isError) {
    return (
      <>
        <h1 className="text-2xl font-semibold text-slate-900">Client</h1>
        <Notice tone="error" testId="client-error">
          {errorMessage(get.error)}
        </Notice>
      </>
    );
  }

  const client = get.data;
  const type = list.data?.types.find((t) => t.type === client.type);
  const maxHours = Math.min(maxOverlapHours, list.data?.maxSecretOverlapHours ?? maxOverlapHours);
  const inOverlap = client.secrets.filter((s) => s.expiresAt !== null);
  const overlapId = `${ids}-overlap`;

  return (
    <>
      <div className="space-y-2">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900" data-testid="client-name">
            {client.name}
          </h1>
          <EnabledBadge enabled={client.enabled} />
          <PkceBadge client={client} />
        </div>
        <dl className="grid gap-x-6 gap-y-1 text-sm text-slate-600 sm:grid-cols-[auto_minmax(0,1fr)]">
          <dt>Type</dt>
          <dd className="text-slate-900" data-testid="client-type">
            {client.typeLabel}
          </dd>
          <dt>Client ID</dt>
          <dd className="flex items-center gap-1" data-testid="client-id">
            <ClientIdValue client={client} />
            <CopyButton value={client.clientId} label="Copy client ID" testId="copy-client-id" />
          </dd>
          <dt>Created</dt>
          <dd className="text-slate-900">
            <RelativeTime at={client.createdAt} /> by {client.createdByLabel}
          </dd>
        </dl>
      </div>

      <div aria-live="polite">
        {done ? (
          <Notice tone="info" testId="client-success">
            {done}
          </Notice>
        ) : null}
      </div>

      {canManage ? (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            onClick={() => toggleEnabled(client)}
            disabled={setEnabled.isPending}
            {...lockedButtonProps(locked)}
            data-testid="client-toggle-enabled"
            data-enabled={String(client.enabled)}
          >
            {client.enabled ? "Disable client" : setEnabled.isPending ? "Enabling…" : "Enable client"}
          </Button>
          <Button variant="danger" onClick={() => open("delete")} {...lockedButtonProps(locked)} data-testid="client-delete">
            Delete client
          </Button>
        </div>
      ) : null}
      {!client.enabled ? (
        <Notice tone="warning" testId="client-disabled-notice">
          This client is disabled: it cannot start new logins until it is enabled again.
        </Notice>
      ) : null}
      {setEnabled.isError && dialog === null ? (
        <Notice tone="error" testId="form-error">
          {errorMessage(setEnabled.error)}
        </Notice>
      ) : null}

      <Section
        title="Client secret"
        actions={
          canManage && client.confidential ? (
            <Button variant="secondary" onClick={() => open("rotate")} {...lockedButtonProps(locked)} data-testid="client-rotate-secret">
              Rotate secret
            </Button>
          ) : null
        }
      >
        {client.confidential ? (
          <div className="space-y-2 text-sm">
            <p className="text-slate-600">
              Valid secrets, newest first. Only the last four characters are kept for display; a lost secret cannot be shown again —
              rotate it.
            </p>
            {client.secrets.length ? (
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="client-secrets">
                {client.secrets.map((s) => (
                  <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2" data-testid="client-secret">
                    <SecretHint secret={s} detailed />
                    <span className="text-xs text-slate-500">
                      created <RelativeTime at={s.createdAt} />
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Notice tone="warning" testId="client-no-secret">
                This client has no valid secret: rotate to create one.
              </Notice>
            )}
          </div>
        ) : (
          <p className="text-sm text-slate-600">A public client has no secret: it proves itself with PKCE at every login.</p>
        )}
      </Section>

      <Section title="Settings">
        {canManage && type && list.data ? (
          <EditClientForm tenant={tenant} client={client} type={type} regulated={list.data.regulatedMode} onSaved={stored} />
        ) : (
          <div className="space-y-4 text-sm">
            <div>
              <h3 className="font-medium text-slate-700">Grant types</h3>
              <div className="mt-1 flex flex-wrap gap-1">
                {client.grantTypes.map((g) => (
                  <Badge key={g} tone="indigo" title={GRANT_DESCRIPTIONS[g].hint}>
                    {GRANT_DESCRIPTIONS[g].label}
                  </Badge>
                ))}
              </div>
            </div>
            {client.type !== "m2m" ? (
              <>
                <div>
                  <h3 className="font-medium text-slate-700">Redirect URIs</h3>
                  <UriList uris={client.redirectUris} empty="None." testId="client-redirect-uris" />
                </div>
                <div>
                  <h3 className="font-medium text-slate-700">Post-logout redirect URIs</h3>
                  <UriList uris={client.postLogoutRedirectUris} empty="None." testId="client-post-logout-uris" />
                </div>
              </>
            ) : null}
            {client.type === "spa" ? (
              <div>
                <h3 className="font-medium text-slate-700">Allowed web origins</h3>
                <UriList uris={client.allowedOrigins} empty="None." testId="client-origins" />
              </div>
            ) : null}
          </div>
        )}
      </Section>

      <ConfirmDialog
        open={dialog === "disable"}
        title="Disable client?"
        confirmLabel="Disable client"
        pending={setEnabled.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => setEnabled.mutate({ tenant, clientRowId: client.id, enabled: false })}
      >
        <p>
          <strong className="font-medium text-slate-900">{client.name}</strong> cannot start new logins while it is disabled: the
          authorization endpoint refuses it from the next request on.
        </p>
        <p>Its configuration and secrets are kept; you can enable it again at any time.</p>
        {setEnabled.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(setEnabled.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "delete"}
        title="Delete client?"
        confirmLabel="Delete client"
        pending={remove.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => remove.mutate({ tenant, clientRowId: client.id })}
      >
        <p>
          <strong className="font-medium text-slate-900">{client.name}</strong> is deleted from {tenantName}. Its client_id{" "}
          <ClientIdValue client={client} /> and its redirect URIs are released, and logins with it stop at once.
        </p>
        <p>Applications configured with this client stop working. This cannot be undone.</p>
        {remove.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(remove.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "rotate"}
        title="Rotate the client secret?"
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => confirmRotate(client)}
      >
        <p>A new secret is created and shown once. It works at once.</p>
        <fieldset aria-describedby={overlapId} className="space-y-1">
          <legend className="mb-1 font-medium text-slate-900">Keep the current secret working for</legend>
          {OVERLAP_CHOICES.filter((c) => c.hours <= maxHours).map((c) => (
            <label key={c.hours} className="flex items-center gap-2">
              <input
                type="radio"
                name="overlapHours"
                value={c.hours}
                checked={overlap === c.hours}
                onChange={() => setOverlap(c.hours)}
                disabled={rotate.isPending}
                className="h-4 w-4 border-slate-300 text-indigo-600"
              />
              {c.label}
            </label>
          ))}
        </fieldset>
        <p id={overlapId} data-testid="rotate-explanation" className={overlap === 0 ? "text-red-700" : undefined}>
          {overlap > 0
            ? `The current secret keeps working for ${overlap} hour${overlap === 1 ? "" : "s"} so you can roll out the new one; after that only the new secret works.`
            : "The current secret stops working at once: anything still using it fails until it has the new one."}
        </p>
        {inOverlap.length ? (
          <p data-testid="rotate-overlap-ends">
            The older secret <code className="font-mono">…{inOverlap[0]!.hint}</code>, still in its overlap, stops working now: a client
            never has more than two valid secrets.
          </p>
        ) : null}
        {rotate.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(rotate.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>

      {revealed ? <ClientSecretDialog revealed={revealed} onDone={() => setRevealed(null)} /> : null}
    </>
  );
}
