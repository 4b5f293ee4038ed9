"use client";
// Edit a client's name, grant types and lists (its type is fixed), with the same live checks as
// registering. react-hook-form validates with the procedure's own schema (updateClientInput);
// saving is blocked while a line is invalid; the server's refusal sits beside its field (or under
// the form), the result is a toast.
import { useMutation } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { ClientView } from "@/server/clients/service";
import { updateClientInput, MAX_CLIENT_NAME_LENGTH } from "@/server/isomorphic/clients/inputs";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import {
  ClientConfigFields,
  DRAFT_FIELDS,
  draftErrors,
  draftInput,
  linesText,
  listLines,
  procedureResolver,
  useDraftChecks,
  type ClientDraft,
  type ClientTypeInfo,
} from "../client-fields";

type Values = ClientDraft & { name: string };
const FIELDS = ["name", ...DRAFT_FIELDS] as const;

function valuesOf(c: ClientView): Values {
  return {
    name: c.name,
    grantTypes: [...c.grantTypes],
    redirectUris: linesText(c.redirectUris),
    postLogoutRedirectUris: linesText(c.postLogoutRedirectUris),
    allowedOrigins: linesText(c.allowedOrigins),
  };
}

/** The input as the procedure takes it: lists only where the type has them. */
function editInput(type: ClientTypeInfo, clientRowId: string, v: Values) {
  const lists = draftInput(type, v);
  return {
    clientRowId,
    name: v.name,
    grantTypes: lists.grantTypes,
    ...(type.redirects ? { redirectUris: lists.redirectUris, postLogoutRedirectUris: lists.postLogoutRedirectUris } : {}),
    ...(type.webOrigins ? { allowedOrigins: lists.allowedOrigins } : {}),
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
  const resolver = useMemo(() => procedureResolver<Values, typeof updateClientInput>(updateClientInput, (v) => editInput(type, client.id, v)), [type, client.id]);
  const form = useForm<Values, unknown, ReturnType<typeof updateClientInput.parse>>({ resolver, defaultValues: valuesOf(client) });
  const { errors } = form.formState;
  const values = form.watch();
  const draft: ClientDraft = {
    grantTypes: values.grantTypes,
    redirectUris: values.redirectUris,
    postLogoutRedirectUris: values.postLogoutRedirectUris,
    allowedOrigins: values.allowedOrigins,
  };
  const checks = useDraftChecks(tenant, type, draft, regulated);
  const update = useMutation(trpc.clients.update.mutationOptions());

  const input = draftInput(type, draft);
  const dirty =
    values.name.trim() !== client.name ||
    !sameList(input.grantTypes, client.grantTypes) ||
    !sameList(input.redirectUris, client.redirectUris) ||
    !sameList(input.postLogoutRedirectUris, client.postLogoutRedirectUris) ||
    !sameList(input.allowedOrigins, client.allowedOrigins);

  function change(d: ClientDraft) {
    const opts = { shouldDirty: true, shouldValidate: form.formState.isSubmitted };
    for (const k of DRAFT_FIELDS) if (d[k] !== draft[k]) form.setValue(k, d[k] as never, opts);
  }

  const submit = form.handleSubmit((parsed) => {
    if (checks.blocking || !dirty) return;
    update.mutate(
      { tenant, ...parsed },
      {
        onSuccess: async (c) => {
          form.reset(valuesOf(c));
          toast.success("Saved. The new settings apply from the next authorization request.", { testId: "client-saved" });
          await onSaved(c);
        },
        onError: (e) => applyServerError(form, e, FIELDS),
      },
    );
  });

  function revert() {
    update.reset();
    form.reset(valuesOf(client));
  }

  const blockedReason = checks.invalid ? "Fix the lines marked ✗ first." : checks.checking ? "Checking the URIs…" : null;

  return (
    <ClientForm onSubmit={submit} className="space-y-4" noValidate data-testid="client-edit-form">
      <FormField id={`${ids}-name`} label="Name" error={errors.name?.message}>
        {(c) => <TextInput {...c} maxLength={MAX_CLIENT_NAME_LENGTH} autoComplete="off" data-testid="client-name-input" {...form.register("name")} />}
      </FormField>

      <ClientConfigFields
        type={type}
        draft={draft}
        onChange={change}
        checks={checks}
        regulated={regulated}
        disabled={update.isPending}
        errors={draftErrors(errors)}
      />

      {listLines(draft.redirectUris).length < client.redirectUris.length ? (
        <p className="text-xs text-slate-600" data-testid="redirect-removed-hint">
          Redirect URIs you remove stop matching at once, and are released for other tenants.
        </p>
      ) : null}

      <div aria-live="polite">
        <FormError message={errors.root?.server?.message} />
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
    </ClientForm>
  );
}
