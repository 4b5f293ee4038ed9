"use client";
// Register an OAuth client: a name, its type (which sets the grant types it may have and the lists
// it takes), and the lists, checked live line by line. Saving is blocked while a line is invalid;
// a refusal by the server (e.g. a URI another tenant holds) is shown as well.
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { ClientView } from "@/server/clients/service";
import type { ClientType } from "@/server/clients/redirect-uris";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { ClientConfigFields, draftInput, useDraftChecks, type ClientDraft, type ClientTypeInfo } from "./client-fields";

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
  const [name, setName] = useState("");
  const [typeName, setTypeName] = useState<ClientType>(types[0]!.type);
  const type = types.find((t) => t.type === typeName) ?? types[0]!;
  const [draft, setDraft] = useState<ClientDraft>(() => emptyDraft(type));
  const checks = useDraftChecks(tenant, type, draft, regulated);

  // gcTime 0: the finished mutation (whose result holds the secret) leaves the mutation cache as
  // soon as nothing observes it; reset() below stops observing it right after success.
  const create = useMutation(trpc.clients.create.mutationOptions({ gcTime: 0 }));
  const bad = create.isError ? invalidFields(create.error) : new Set<string>();

  function changeType(next: ClientType) {
    const t = types.find((x) => x.type === next);
    if (!t) return;
    setTypeName(next);
    // The type's defaults; typed lists are kept (they are only sent where the type has them).
    setDraft((d) => ({ ...d, grantTypes: [...t.defaultGrants] }));
    create.reset();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (checks.blocking) return;
    create.mutate(
      { tenant, name: name.trim(), type: type.type, ...draftInput(type, draft) },
      {
        onSuccess: async (res) => {
          create.reset();
          setName("");
          setDraft(emptyDraft(type));
          await onCreated(res);
        },
      },
    );
  }

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
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_18rem]">
          <Field id={`${ids}-name`} label="Name" hint="Shown to operators here and to users on the consent screen, e.g. “Customer portal”.">
            <TextInput
              id={`${ids}-name`}
              name="name"
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={bad.has("name") || undefined}
              data-testid="client-name-input"
            />
          </Field>
          <Field id={`${ids}-type`} label="Type" hint="Cannot be changed later.">
            <Select id={`${ids}-type`} name="type" value={type.type} onChange={(e) => changeType(e.target.value as ClientType)} data-testid="client-type-select">
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>

        <p className="text-xs text-slate-600" data-testid="client-type-hint">
          {type.confidential
            ? "A confidential client runs on a server and holds a client secret, shown once after registration."
            : "A public client cannot keep a secret: it has none and must use PKCE."}
        </p>

        <ClientConfigFields type={type} draft={draft} onChange={setDraft} checks={checks} regulated={regulated} disabled={create.isPending} />

        <div aria-live="polite">
          {create.isError ? (
            <Notice tone="error" testId="form-error">
              {errorMessage(create.error)}
            </Notice>
          ) : null}
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
      </form>
    </Section>
  );
}
