"use client";
// Edit a client's name, grant types and lists (its type is fixed), with the same live checks as
// registering. Saving is blocked while a line is invalid; the server's refusal is shown as well.
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { ClientView } from "@/server/clients/service";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { ClientConfigFields, draftInput, linesText, listLines, useDraftChecks, type ClientDraft, type ClientTypeInfo } from "../client-fields";

function draftOf(c: ClientView): ClientDraft {
  return {
    grantTypes: [...c.grantTypes],
    redirectUris: linesText(c.redirectUris),
    postLogoutRedirectUris: linesText(c.postLogoutRedirectUris),
    allowedOrigins: linesText(c.allowedOrigins),
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function EditClientForm({
  tenant,
  client,
  type,
  regulated,
  onSaved,
}: {
  tenant: string;
  client: ClientView;
  type: ClientTypeInfo;
  regulated: boolean;
  onSaved: (c: ClientView) => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const [name, setName] = useState(client.name);
  const [draft, setDraft] = useState<ClientDraft>(() => draftOf(client));
  const [saved, setSaved] = useState(false);
  const checks = useDraftChecks(tenant, type, draft, regulated);
  const update = useMutation(trpc.clients.update.mutationOptions());
  const bad = update.isError ? invalidFields(update.error) : new Set<string>();

  const input = draftInput(type, draft);
  const dirty =
    name.trim() !== client.name ||
    !sameList(input.grantTypes, client.grantTypes) ||
    !sameList(input.redirectUris, client.redirectUris) ||
    !sameList(input.postLogoutRedirectUris, client.postLogoutRedirectUris) ||
    !sameList(input.allowedOrigins, client.allowedOrigins);

  function change(d: ClientDraft) {
    setSaved(false);
    setDraft(d);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (checks.blocking || !dirty) return;
    setSaved(false);
    update.mutate(
      {
        tenant,
        clientRowId: client.id,
        name: name.trim(),
        grantTypes: input.grantTypes,
        ...(type.redirects ? { redirectUris: input.redirectUris, postLogoutRedirectUris: input.postLogoutRedirectUris } : {}),
        ...(type.webOrigins ? { allowedOrigins: input.allowedOrigins } : {}),
      },
      {
        onSuccess: async (c) => {
          setName(c.name);
          setDraft(draftOf(c));
          setSaved(true);
          await onSaved(c);
        },
      },
    );
  }

  function revert() {
    update.reset();
    setSaved(false);
    setName(client.name);
    setDraft(draftOf(client));
  }

  const blockedReason = checks.invalid ? "Fix the lines marked ✗ first." : checks.checking ? "Checking the URIs…" : null;

  return (
    <form onSubmit={submit} className="space-y-4" noValidate data-testid="client-edit-form">
      <Field id={`${ids}-name`} label="Name">
        <TextInput
          id={`${ids}-name`}
          name="name"
          maxLength={100}
          autoComplete="off"
          value={name}
          onChange={(e) => {
            setSaved(false);
            setName(e.target.value);
          }}
          aria-invalid={bad.has("name") || undefined}
          data-testid="client-name-input"
        />
      </Field>

      <ClientConfigFields type={type} draft={draft} onChange={change} checks={checks} regulated={regulated} disabled={update.isPending} />

      {listLines(draft.redirectUris).length < client.redirectUris.length ? (
        <p className="text-xs text-slate-600" data-testid="redirect-removed-hint">
          Redirect URIs you remove stop matching at once, and are released for other tenants.
        </p>
      ) : null}

      <div aria-live="polite">
        {update.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(update.error)}
          </Notice>
        ) : saved ? (
          <Notice tone="info" testId="client-saved">
            Saved. The new settings apply from the next authorization request.
          </Notice>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={update.isPending || checks.blocking || !dirty} data-testid="client-save">
          {update.isPending ? "Saving…" : "Save changes"}
        </Button>
        <Button variant="ghost" onClick={revert} disabled={update.isPending || !dirty}>
          Revert
        </Button>
        {dirty && blockedReason ? <span className="text-xs text-slate-500">{blockedReason}</span> : null}
      </div>
    </form>
  );
}
