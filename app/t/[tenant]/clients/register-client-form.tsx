"use client";
// Register an OAuth client: a name, its type (which sets the grant types it may have and the lists
// it takes), and the lists, checked live line by line. react-hook-form validates with the
// procedure's own schema (createClientInput); saving is blocked while a line is invalid; a refusal
// by the server (e.g. a URI another tenant holds) sits beside its field, or under the form.
import { useMutation } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import type { ClientView } from "@/server/clients/service";
import type { ClientType } from "@/server/isomorphic/clients/redirect-uris";
import { createClientInput, MAX_CLIENT_NAME_LENGTH } from "@/server/isomorphic/clients/inputs";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Select, TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import { ClientConfigFields, DRAFT_FIELDS, draftErrors, draftInput, procedureResolver, useDraftChecks, type ClientDraft, type ClientTypeInfo } from "./client-fields";

type Values = ClientDraft & { name: string; type: ClientType };
const FIELDS = ["name", "type", ...DRAFT_FIELDS] as const;

export interface CreatedClient {
  client: ClientView;
  secret: string | null;
}

function emptyDraft(type: ClientTypeInfo): ClientDraft {
  return { grantTypes: [...type.defaultGrants], redirectUris: "", postLogoutRedirectUris: "", allowedOrigins: "" };
}

export function RegisterClientForm({
  tenant,
  types,
  regulated,
  onCreated,
  onCancel,
}: {
  tenant: string;
  types: ClientTypeInfo[];
  regulated: boolean;
  onCreated: (created: CreatedClient) => Promise<void>;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const ids = useId();
  const typeInfo = (t: ClientType) => types.find((x) => x.type === t) ?? types[0]!;
  const resolver = useMemo(
    () =>
      procedureResolver<Values, typeof createClientInput>(createClientInput, (v) => {
        const t = types.find((x) => x.type === v.type) ?? types[0]!;
        return { name: v.name, type: v.type, ...draftInput(t, v) };
      }),
    [types],
  );
  const form = useForm<Values, unknown, ReturnType<typeof createClientInput.parse>>({
    resolver,
    defaultValues: { name: "", type: types[0]!.type, ...emptyDraft(types[0]!) },
  });
  const { errors } = form.formState;
  const values = form.watch();
  const type = typeInfo(values.type);
  const draft: ClientDraft = {
    grantTypes: values.grantTypes,
    redirectUris: values.redirectUris,
    postLogoutRedirectUris: values.postLogoutRedirectUris,
    allowedOrigins: values.allowedOrigins,
  };
  const checks = useDraftChecks(tenant, type, draft, regulated);

  // gcTime 0: the finished mutation (whose result holds the secret) leaves the mutation cache as
  // soon as nothing observes it; reset() below stops observing it right after success.
  const create = useMutation(trpc.clients.create.mutationOptions({ gcTime: 0 }));

  function setDraft(d: ClientDraft) {
    const opts = { shouldDirty: true, shouldValidate: form.formState.isSubmitted };
    for (const k of DRAFT_FIELDS) if (d[k] !== draft[k]) form.setValue(k, d[k] as never, opts);
  }

  function changeType(next: ClientType) {
    const t = types.find((x) => x.type === next);
    if (!t) return;
    form.setValue("type", next);
    // The type's defaults; typed lists are kept (they are only sent where the type has them).
    form.setValue("grantTypes", [...t.defaultGrants]);
    form.clearErrors();
    create.reset();
  }

  const submit = form.handleSubmit((input) => {
    if (checks.blocking) return;
    create.mutate(
      { tenant, ...input },
      {
        onSuccess: async (res) => {
          create.reset();
          form.reset({ name: "", type: type.type, ...emptyDraft(type) });
          await onCreated(res);
        },
        onError: (e) => applyServerError(form, e, FIELDS),
      },
    );
  });

  const blockedReason = checks.invalid
    ? "Fix the lines marked ✗ first."
    : checks.checking
      ? "Checking the URIs…"
      : null;

  return (
    <Section
      title="Register client"
      actions={
        <Button variant="ghost" className="py-1" onClick={onCancel}>
          Cancel
        </Button>
      }
    >
      <ClientForm onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_18rem]">
          <FormField
            id={`${ids}-name`}
            label="Name"
            hint="Shown to operators here and to users on the consent screen, e.g. “Customer portal”."
            error={errors.name?.message}
          >
            {(c) => <TextInput {...c} maxLength={MAX_CLIENT_NAME_LENGTH} autoComplete="off" data-testid="client-name-input" {...form.register("name")} />}
          </FormField>
          <FormField id={`${ids}-type`} label="Type" hint="Cannot be changed later." error={errors.type?.message}>
            {(c) => (
              <Select {...c} name="type" value={type.type} onChange={(e) => changeType(e.target.value as ClientType)} data-testid="client-type-select">
                {types.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.label}
                  </option>
                ))}
              </Select>
            )}
          </FormField>
        </div>

        <p className="text-xs text-slate-600" data-testid="client-type-hint">
          {type.confidential
            ? "A confidential client runs on a server and holds a client secret, shown once after registration."
            : "A public client cannot keep a secret: it has none and must use PKCE."}
        </p>

        <ClientConfigFields
          type={type}
          draft={draft}
          onChange={setDraft}
          checks={checks}
          regulated={regulated}
          disabled={create.isPending}
          errors={draftErrors(errors)}
        />

        <div aria-live="polite">
          <FormError message={errors.root?.server?.message} />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={create.isPending || checks.blocking} data-testid="client-create" aria-describedby={blockedReason ? `${ids}-blocked` : undefined}>
            {create.isPending ? "Registering…" : "Register client"}
          </Button>
          {blockedReason ? (
            <span id={`${ids}-blocked`} className="text-xs text-slate-500" data-testid="client-create-blocked">
              {blockedReason}
            </span>
          ) : null}
        </div>
      </ClientForm>
    </Section>
  );
}
