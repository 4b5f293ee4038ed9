"use client";
// Create an API key: a name, the scopes (only those the caller may grant) and an expiry.
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { SCOPE_DESCRIPTIONS } from "@/components/scope-labels";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { TenantPermission } from "@/server/auth/permissions";

const EXPIRY_DAYS = [7, 30, 90, 365] as const;
const DEFAULT_EXPIRY = "90";
const NEVER = "never";

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
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ReadonlySet<TenantPermission>>(new Set());
  const [expiry, setExpiry] = useState(DEFAULT_EXPIRY);

  // gcTime 0: the finished mutation (whose result holds the full key) leaves the mutation cache
  // as soon as nothing observes it; reset() below stops observing it right after success.
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ gcTime: 0 }));
  const bad = create.isError ? invalidFields(create.error) : new Set<string>();
  const allSelected = grantableScopes.length > 0 && grantableScopes.every((s) => scopes.has(s));

  function toggle(scope: TenantPermission, on: boolean) {
    const next = new Set(scopes);
    if (on) next.add(scope);
    else next.delete(scope);
    setScopes(next);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      {
        tenant,
        name: name.trim(),
        scopes: grantableScopes.filter((s) => scopes.has(s)),
        expiresInDays: expiry === NEVER ? null : Number(expiry),
      },
      {
        onSuccess: async (res) => {
          const created: CreatedKey = { value: res.value, name: res.key.name, scopes: res.key.scopes };
          create.reset();
          setName("");
          setScopes(new Set());
          setExpiry(DEFAULT_EXPIRY);
          await onCreated(created);
        },
      },
    );
  }

  const scopesHintId = `${ids}-scopes-hint`;
  const expiryOptions = EXPIRY_DAYS.filter((d) => d <= maxDays);

  return (
    <Section title="Create API key">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
          <Field id="api-key-name" label="Name" hint="What uses the key, e.g. “CI deploy” or “Nightly audit export”.">
            <TextInput
              id="api-key-name"
              name="name"
              maxLength={100}
              autoComplete="off"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={bad.has("name") || undefined}
              aria-describedby="api-key-name-hint"
            />
          </Field>
          <Field id="api-key-expiry" label="Expires after">
            <Select
              id="api-key-expiry"
              name="expiresInDays"
              value={expiry}
              onChange={(e) => setExpiry(e.target.value)}
              aria-invalid={bad.has("expiresInDays") || undefined}
            >
              {expiryOptions.map((d) => (
                <option key={d} value={String(d)}>
                  {d} days
                </option>
              ))}
              <option value={NEVER}>Never</option>
            </Select>
          </Field>
        </div>

        {expiry === NEVER ? (
          <Notice tone="warning" testId="never-warning">
            A key that never expires stays valid until someone revokes it. Rotate it by hand: create a replacement, switch
            what uses it, then revoke this one.
          </Notice>
        ) : null}

        <fieldset
          aria-describedby={scopesHintId}
          className={`rounded-md border px-3 pb-3 pt-1 ${bad.has("scopes") ? "border-red-500" : "border-slate-200"}`}
        >
          <legend className="px-1 text-sm font-medium text-slate-700">Scopes</legend>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p id={scopesHintId} className="text-xs text-slate-500">
              What the key may do in this tenant. Give it only what it needs; you can grant only what your own role includes.
            </p>
            {grantableScopes.length > 1 ? (
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs"
                onClick={() => setScopes(allSelected ? new Set() : new Set(grantableScopes))}
              >
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
        </fieldset>

        <div aria-live="polite">
          {create.isError ? (
            <Notice tone="error" testId="form-error">
              {errorMessage(create.error)}
            </Notice>
          ) : null}
        </div>
        <Button type="submit" disabled={create.isPending} {...lockedButtonProps(locked)} data-testid="api-key-create">
          {create.isPending ? "Creating…" : "Create API key"}
        </Button>
      </form>
    </Section>
  );
}
