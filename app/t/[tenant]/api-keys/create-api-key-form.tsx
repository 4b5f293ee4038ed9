"use client";
// Create an API key: a name, the scopes (only those the caller may grant) and an expiry. Validated with
// the procedure's schema (createApiKeyInput); refusals sit beside their field.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { useTRPC } from "@/components/trpc/client";
import { SCOPE_DESCRIPTIONS } from "@/components/scope-labels";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { ClientForm } from "@/components/forms/client-form";
import { createApiKeyInput } from "@/server/isomorphic/api-keys/inputs";
import type { TenantPermission } from "@/server/isomorphic/auth/permissions";

const EXPIRY_DAYS = [7, 30, 90, 365] as const;
const DEFAULT_EXPIRY = 90;
const NEVER = "never";
const FIELDS = ["name", "scopes", "expiresInDays"] as const;
type Values = z.input<typeof createApiKeyInput>;

export interface CreatedKey {
  value: string;
  name: string;
  scopes: TenantPermission[];
}

export function CreateApiKeyForm({
  tenant,
  grantableScopes,
  maxDays,
  onCreated,
}: {
  tenant: string;
  grantableScopes: TenantPermission[];
  maxDays: number;
  onCreated: (created: CreatedKey) => Promise<void>;
}) {
  const trpc = useTRPC();
  const locked = useTenantLock();
  const ids = useId();
  const defaults: Values = { name: "", scopes: [], expiresInDays: DEFAULT_EXPIRY };
  const form = useForm<Values, unknown, z.output<typeof createApiKeyInput>>({ resolver: zodResolver(createApiKeyInput), defaultValues: defaults });
  const { errors } = form.formState;
  const scopes = new Set(form.watch("scopes"));
  const expiry = form.watch("expiresInDays");

  // gcTime 0: the finished mutation (whose result holds the full key) leaves the mutation cache
  // as soon as nothing observes it; reset() below stops observing it right after success.
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ gcTime: 0 }));
  const allSelected = grantableScopes.length > 0 && grantableScopes.every((s) => scopes.has(s));

  function setScopes(next: ReadonlySet<TenantPermission>) {
    // In the order offered, so what is sent does not depend on the clicking order.
    form.setValue("scopes", grantableScopes.filter((s) => next.has(s)), { shouldValidate: form.formState.isSubmitted });
  }
  function toggle(scope: TenantPermission, on: boolean) {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  const submit = form.handleSubmit((v) =>
    create.mutate(
      { tenant, ...v },
      {
        onSuccess: async (res) => {
          const created: CreatedKey = { value: res.value, name: res.key.name, scopes: res.key.scopes };
          create.reset();
          form.reset(defaults);
          await onCreated(created);
        },
        onError: (e) => applyServerError(form, e, FIELDS),
      },
    ),
  );

  const scopesHintId = `${ids}-scopes-hint`;
  const scopesError = errors.scopes?.message ?? errors.scopes?.root?.message;
  const expiryOptions = EXPIRY_DAYS.filter((d) => d <= maxDays);

  return (
    <Section title="Create API key">
      <ClientForm onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
          <FormField id="api-key-name" label="Name" hint="What uses the key, e.g. “CI deploy” or “Nightly audit export”." error={errors.name?.message}>
            {(c) => <TextInput {...c} autoComplete="off" {...form.register("name")} />}
          </FormField>
          <FormField id="api-key-expiry" label="Expires after" error={errors.expiresInDays?.message}>
            {(c) => (
              <Select
                {...c}
                value={expiry === null ? NEVER : String(expiry)}
                onChange={(e) => form.setValue("expiresInDays", e.target.value === NEVER ? null : Number(e.target.value))}
              >
                {expiryOptions.map((d) => (
                  <option key={d} value={String(d)}>
                    {d} days
                  </option>
                ))}
                <option value={NEVER}>Never</option>
              </Select>
            )}
          </FormField>
        </div>

        {expiry === null ? (
          <Notice tone="warning" testId="never-warning">
            A key that never expires stays valid until someone revokes it. Rotate it by hand: create a replacement, switch
            what uses it, then revoke this one.
          </Notice>
        ) : null}

        <fieldset
          aria-describedby={scopesError ? `${ids}-scopes-error ${scopesHintId}` : scopesHintId}
          aria-invalid={scopesError ? true : undefined}
          className={`rounded-md border px-3 pb-3 pt-1 ${scopesError ? "border-red-500" : "border-slate-200"}`}
        >
          <legend className="px-1 text-sm font-medium text-slate-700">Scopes</legend>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p id={scopesHintId} className="text-xs text-slate-500">
              What the key may do in this tenant. Give it only what it needs; you can grant only what your own role includes.
            </p>
            {grantableScopes.length > 1 ? (
              <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setScopes(allSelected ? new Set() : new Set(grantableScopes))}>
                {allSelected ? "Clear all" : "Select all"}
              </Button>
            ) : null}
          </div>
          {grantableScopes.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">Your role has no permissions that can be given to an API key.</p>
          ) : (
            <ul className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-2">
              {grantableScopes.map((scope) => {
                const id = `${ids}-scope-${scope}`;
                return (
                  <li key={scope} className="flex items-start gap-2">
                    <input
                      id={id}
                      type="checkbox"
                      name="scopes"
                      value={scope}
                      checked={scopes.has(scope)}
                      onChange={(e) => toggle(scope, e.target.checked)}
                      className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
                    />
                    <label htmlFor={id} className="text-sm text-slate-700">
                      <span className="font-mono text-xs text-slate-900">{scope}</span>
                      <span className="text-slate-500"> — {SCOPE_DESCRIPTIONS[scope]}</span>
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
          {scopesError ? (
            <p id={`${ids}-scopes-error`} className="mt-2 text-sm text-red-700" data-testid="api-key-scopes-error">
              {scopesError}
            </p>
          ) : null}
        </fieldset>

        <FormError message={errors.root?.server?.message} />
        <Button type="submit" disabled={create.isPending} {...lockedButtonProps(locked)} data-testid="api-key-create">
          {create.isPending ? "Creating…" : "Create API key"}
        </Button>
      </ClientForm>
    </Section>
  );
}
