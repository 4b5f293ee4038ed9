"use client";
// The configurable part of an OAuth client, shared by the register and edit forms: grant types
// (only the type's), redirect URIs, post-logout redirect URIs and (SPA only) allowed web origins —
// one per line, bulk paste welcome — each list checked live, line by line, as the operator types.
//
// Redirect URIs are checked by the server (clients.checkUris, debounced): it applies the tenant's
// regulated mode and is the same function that refuses a save. Web origins have no server check;
// they use the same pure function the server saves with (server/isomorphic/clients/origins.ts).
import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { FieldError, FieldErrors, FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ClientTypeRules, GrantType } from "@/server/isomorphic/clients/client-types";
import { checkOrigin } from "@/server/isomorphic/clients/origins";
import type { ClientType, RedirectUriBatch } from "@/server/isomorphic/clients/redirect-uris";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { inputClasses } from "@/components/ui/field";

export type ClientTypeInfo = ClientTypeRules & { type: ClientType };

/** What the operator is editing: lists as typed (one per line). */
export interface ClientDraft {
  grantTypes: GrantType[];
  redirectUris: string;
  postLogoutRedirectUris: string;
  allowedOrigins: string;
}

/** The list fields a client form holds as text and the procedure takes as arrays. */
export type DraftField = keyof ClientDraft;
export const DRAFT_FIELDS = ["grantTypes", "redirectUris", "postLogoutRedirectUris", "allowedOrigins"] as const satisfies readonly DraftField[];

/** Errors of the draft's fields, one message each (beside the field). */
export type DraftErrors = Partial<Record<DraftField, string>>;

/** A form's errors of the draft's fields, as ClientConfigFields shows them. */
export function draftErrors(errors: Partial<Record<DraftField, { message?: string } | undefined>>): DraftErrors {
  return Object.fromEntries(DRAFT_FIELDS.map((f) => [f, errors[f]?.message])) as DraftErrors;
}

/** The first message in a (possibly nested, e.g. `redirectUris.3`) field error. */
function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as { message?: unknown };
  if (typeof e.message === "string" && e.message) return e.message;
  for (const [k, v] of Object.entries(error)) {
    if (k === "ref" || k === "type") continue;
    const m = firstMessage(v);
    if (m) return m;
  }
  return undefined;
}

/**
 * react-hook-form resolver validating with the procedure's own schema: the form's text lists are
 * turned into the input the procedure takes (`toInput`), the schema parses that, and its errors
 * (paths such as `redirectUris.3`) come back as one message on the form's field of the same name.
 */
export function procedureResolver<V extends FieldValues, S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  toInput: (values: V) => unknown,
): Resolver<V, unknown, z.output<S>> {
  const inner = zodResolver(schema as never) as unknown as Resolver<FieldValues, unknown, z.output<S>>;
  return async (values, context, options) => {
    const result = await inner(toInput(values) as FieldValues, context, options as never);
    if (Object.keys(result.errors).length === 0) return result as never;
    const errors: Record<string, FieldError> = {};
    for (const [name, error] of Object.entries(result.errors)) {
      errors[name] = { type: (error as FieldError).type ?? "validate", message: firstMessage(error) };
    }
    return { values: {}, errors: errors as FieldErrors<V> };
  };
}

export const GRANT_DESCRIPTIONS: Readonly<Record<GrantType, { label: string; hint: string }>> = {
  authorization_code: { label: "Authorization code", hint: "Users sign in through the browser and are sent back to a redirect URI (with PKCE)." },
  refresh_token: { label: "Refresh token", hint: "Keeps users signed in without a new login; needs the authorization code grant." },
  client_credentials: { label: "Client credentials", hint: "The client acts as itself, with no user (confidential clients only)." },
};

/** The lines of a pasted list as they will be saved: ends trimmed, blank lines dropped (as the server's check does). */
export function listLines(text: string): string[] {
  return text
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

export function linesText(list: readonly string[]): string {
  return list.join("\n");
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/** empty: nothing typed; checking: the results shown are not (yet) for the current text; error: the check itself failed. */
export type ListState = "empty" | "checking" | "ok" | "invalid" | "error";

export interface ListCheck {
  state: ListState;
  batch: RedirectUriBatch | undefined;
  error?: string;
}

/** Live server check of a redirect (or post-logout) URI list: debounced 250 ms, previous results kept while refetching. */
export function useUriCheck(tenant: string, type: ClientType, kind: "redirect" | "post_logout", text: string, enabled: boolean): ListCheck {
  const trpc = useTRPC();
  const debounced = useDebounced(text, 250);
  const empty = text.trim() === "";
  const q = useQuery({
    ...trpc.clients.checkUris.queryOptions({ tenant, type, kind, text: debounced }),
    enabled: enabled && debounced.trim() !== "",
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
  if (empty || !enabled) return { state: "empty", batch: undefined };
  const current = debounced === text && !q.isPlaceholderData;
  if (current && q.isError) return { state: "error", batch: undefined, error: errorMessage(q.error) };
  if (!current || !q.data) return { state: "checking", batch: q.data };
  return { state: q.data.ok ? "ok" : "invalid", batch: q.data };
}

/** Allowed web origins, checked in the browser with the server's own rules and the tenant's regulated mode. */
export function checkOriginList(text: string, regulated: boolean, enabled: boolean): ListCheck {
  if (!enabled || text.trim() === "") return { state: "empty", batch: undefined };
  const results: RedirectUriBatch["results"] = [];
  const first = new Map<string, number>();
  const dups = new Map<string, number[]>();
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const uri = raw.trim();
    if (uri === "") return;
    const line = i + 1;
    const c = checkOrigin(uri, regulated);
    let check: RedirectUriBatch["results"][number]["check"] = c.ok ? { ok: true } : { ok: false, message: c.message };
    const earlier = first.get(uri);
    if (earlier === undefined) first.set(uri, line);
    else {
      dups.set(uri, [...(dups.get(uri) ?? [earlier]), line]);
      if (check.ok) check = { ok: false, rule: "duplicate", message: `Duplicate of line ${earlier}; each origin is listed once.` };
    }
    results.push({ uri, line, check });
  });
  const tooMany = results.length > 100;
  const ok = !tooMany && results.every((r) => r.check.ok);
  const batch: RedirectUriBatch = {
    results,
    duplicates: [...dups].map(([uri, lines]) => ({ uri, lines })),
    count: results.length,
    tooMany,
    ok,
    uris: results.filter((r) => r.check.ok).map((r) => r.uri),
    ...(tooMany ? { message: `${results.length} origins given; a client may list at most 100.` } : {}),
  };
  return { state: ok ? "ok" : "invalid", batch };
}

/** Per-line results under a list: ✓ or ✗ with the rule's message, warnings in amber, batch problems on top. */
function CheckResults({ id, check, noun, testId }: { id: string; check: ListCheck; noun: string; testId: string }) {
  if (check.state === "empty") return <div id={id} aria-live="polite" data-testid={testId} />;
  const batch = check.batch;
  const bad = batch ? batch.results.filter((r) => !r.check.ok).length : 0;
  // While the current text is being checked, the previous verdict ("all valid") is not shown: it
  // was for other text. Only "Checking…" until the new answer arrives.
  if (check.state === "checking") {
    return (
      <div id={id} aria-live="polite" data-testid={testId} data-state={check.state} className="text-xs">
        <p className="text-slate-600" data-testid="uri-check-summary">
          Checking…
        </p>
      </div>
    );
  }
  return (
    <div id={id} aria-live="polite" data-testid={testId} data-state={check.state} className="space-y-1.5 text-xs">
      {check.state === "error" ? <p className="text-red-700">The list could not be checked: {check.error}</p> : null}
      {batch ? (
        <>
          <p className={bad || batch.tooMany ? "font-medium text-red-700" : "text-emerald-700"} data-testid="uri-check-summary">
            {bad
              ? `${bad} of ${batch.count} ${noun}${batch.count === 1 ? "" : "s"} ${bad === 1 ? "needs" : "need"} fixing.`
              : `${batch.count} ${noun}${batch.count === 1 ? "" : "s"}, ${batch.count === 1 ? "valid" : "all valid"}.`}
          </p>
          {batch.message ? (
            <p className="font-medium text-red-700" data-testid="uri-check-batch">
              {batch.message}
            </p>
          ) : null}
          {batch.duplicates.length ? (
            <p className="text-red-700" data-testid="uri-check-duplicates">
              Listed more than once:{" "}
              {batch.duplicates.map((d, i) => (
                <span key={d.uri}>
                  {i ? "; " : ""}
                  <code className="break-all font-mono">{d.uri}</code> (lines {d.lines.join(", ")})
                </span>
              ))}
              . Keep one of each.
            </p>
          ) : null}
          <ul className="space-y-1">
            {batch.results.map((r) => (
              <li key={`${r.line}:${r.uri}`} data-testid="uri-check-line" data-ok={String(r.check.ok)} data-line={r.line} className="flex gap-2">
                <span aria-hidden="true" className={`w-3 shrink-0 font-bold ${r.check.ok ? "text-emerald-600" : "text-red-600"}`}>
                  {r.check.ok ? "✓" : "✗"}
                </span>
                <span className="min-w-0">
                  <span className="sr-only">{r.check.ok ? "Valid: " : "Invalid: "}</span>
                  <span className="text-slate-500">Line {r.line}: </span>
                  <code className="break-all font-mono text-slate-900">{r.uri}</code>
                  {!r.check.ok && r.check.message ? (
                    <span className="block text-red-700" data-testid="uri-check-message">
                      {r.check.message}
                    </span>
                  ) : null}
                  {r.check.warning ? (
                    <span className="block text-amber-700" data-testid="uri-check-warning">
                      ⚠ {r.check.warning}
                    </span>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="text-slate-500">Checking…</p>
      )}
    </div>
  );
}

function ListField({
  label,
  hint,
  value,
  onChange,
  check,
  noun,
  placeholder,
  testId,
  disabled,
  error,
}: {
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  check: ListCheck;
  noun: string;
  placeholder: string;
  /** e.g. "redirect-uris": the textarea is "<testId>-input", the results "<testId>-checks". */
  testId: string;
  disabled?: boolean;
  /** A refusal of the whole list (schema or server), e.g. a URI another tenant holds. */
  error?: string;
}) {
  const id = useId();
  return (
    <div className="space-y-1" data-testid={`${testId}-field`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {hint}
      </p>
      <textarea
        id={id}
        rows={Math.min(8, Math.max(3, value.split("\n").length + 1))}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={check.state === "invalid" || Boolean(error) || undefined}
        aria-describedby={error ? `${id}-error ${id}-hint ${id}-checks` : `${id}-hint ${id}-checks`}
        data-testid={`${testId}-input`}
        className={`${inputClasses} font-mono text-xs`}
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700" data-testid={`${testId}-error`}>
          {error}
        </p>
      ) : null}
      <CheckResults id={`${id}-checks`} check={check} noun={noun} testId={`${testId}-checks`} />
    </div>
  );
}

/** The checks of a draft, and whether they allow saving (never while a line is invalid or unchecked). */
export function useDraftChecks(tenant: string, type: ClientTypeInfo, draft: ClientDraft, regulated: boolean) {
  const redirect = useUriCheck(tenant, type.type, "redirect", draft.redirectUris, type.redirects);
  const postLogout = useUriCheck(tenant, type.type, "post_logout", draft.postLogoutRedirectUris, type.redirects);
  const origins = checkOriginList(draft.allowedOrigins, regulated, type.webOrigins);
  const all = [redirect, postLogout, origins];
  const invalid = all.some((c) => c.state === "invalid");
  const checking = all.some((c) => c.state === "checking");
  return { redirect, postLogout, origins, invalid, checking, blocking: invalid || checking };
}

export type DraftChecks = ReturnType<typeof useDraftChecks>;

/** The draft as the create/update input expects it (lists only where the type has them). */
export function draftInput(type: ClientTypeInfo, draft: ClientDraft) {
  return {
    grantTypes: type.grants.filter((g) => draft.grantTypes.includes(g)),
    redirectUris: type.redirects ? listLines(draft.redirectUris) : [],
    postLogoutRedirectUris: type.redirects ? listLines(draft.postLogoutRedirectUris) : [],
    allowedOrigins: type.webOrigins ? listLines(draft.allowedOrigins) : [],
  };
}

export function ClientConfigFields({
  type,
  draft,
  onChange,
  checks,
  regulated,
  disabled,
  errors = {},
}: {
  type: ClientTypeInfo;
  draft: ClientDraft;
  onChange: (d: ClientDraft) => void;
  checks: DraftChecks;
  regulated: boolean;
  disabled?: boolean;
  errors?: DraftErrors;
}) {
  const ids = useId();
  const grants = type.grants.filter((g) => draft.grantTypes.includes(g));
  const grantProblem =
    grants.length === 0
      ? "Choose at least one grant type."
      : grants.includes("refresh_token") && !grants.includes("authorization_code")
        ? "Refresh tokens come from an authorization: also choose the authorization code grant."
        : null;
  const needsRedirect = type.redirects && grants.includes("authorization_code") && checks.redirect.state === "empty";

  function toggleGrant(g: GrantType, on: boolean) {
    const next = on ? [...grants, g] : grants.filter((x) => x !== g);
    onChange({ ...draft, grantTypes: type.grants.filter((x) => next.includes(x)) });
  }

  return (
    <div className="space-y-4">
      <fieldset className="rounded-md border border-slate-200 px-3 pb-3 pt-1" aria-describedby={`${ids}-grants-hint`}>
        <legend className="px-1 text-sm font-medium text-slate-700">Grant types</legend>
        <p id={`${ids}-grants-hint`} className="text-xs text-slate-500">
          What a {type.label.replace(/ \(.*\)$/, "").toLowerCase()} may use. OAuth 2.1 has no implicit or password grant.
        </p>
        <ul className="mt-2 space-y-1">
          {type.grants.map((g) => {
            const id = `${ids}-grant-${g}`;
            return (
              <li key={g} className="flex items-start gap-2">
                <input
                  id={id}
                  type="checkbox"
                  name="grantTypes"
                  value={g}
                  checked={grants.includes(g)}
                  disabled={disabled}
                  onChange={(e) => toggleGrant(g, e.target.checked)}
                  className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
                />
                <label htmlFor={id} className="text-sm text-slate-700">
                  {GRANT_DESCRIPTIONS[g].label} <span className="font-mono text-xs text-slate-500">({g})</span>
                  <span className="text-slate-500"> — {GRANT_DESCRIPTIONS[g].hint}</span>
                </label>
              </li>
            );
          })}
        </ul>
        {grantProblem ? (
          <p className="mt-2 text-xs font-medium text-amber-800" data-testid="grant-hint">
            {grantProblem}
          </p>
        ) : null}
        {errors.grantTypes ? (
          <p className="mt-2 text-sm text-red-700" data-testid="grant-types-error">
            {errors.grantTypes}
          </p>
        ) : null}
      </fieldset>

      {type.redirects ? (
        <>
          <ListField
            label="Redirect URIs"
            hint={
              `One per line; paste many at once. Each is matched exactly as written. ` +
              (regulated
                ? "Regulated mode: https only, no localhost, no private-use schemes."
                : type.type === "native"
                  ? "Native apps: http://127.0.0.1/… (any port), a claimed https link, or a reverse-domain scheme like com.example.app:/callback."
                  : "https only, no fragments, no wildcards.")
            }
            value={draft.redirectUris}
            onChange={(v) => onChange({ ...draft, redirectUris: v })}
            check={checks.redirect}
            noun="redirect URI"
            placeholder={type.type === "native" ? "http://127.0.0.1/callback" : "https://app.example.com/callback"}
            testId="redirect-uris"
            disabled={disabled}
            error={errors.redirectUris}
          />
          {needsRedirect ? (
            <p className="-mt-2 text-xs font-medium text-amber-800" data-testid="redirect-required-hint">
              Add at least one redirect URI: the authorization code grant sends users back to one.
            </p>
          ) : null}
          <ListField
            label="Post-logout redirect URIs"
            hint="Optional. Where users may be sent after signing out; the same rules as redirect URIs."
            value={draft.postLogoutRedirectUris}
            onChange={(v) => onChange({ ...draft, postLogoutRedirectUris: v })}
            check={checks.postLogout}
            noun="post-logout redirect URI"
            placeholder={type.type === "native" ? "com.example.app:/signed-out" : "https://app.example.com/"}
            testId="post-logout-uris"
            disabled={disabled}
            error={errors.postLogoutRedirectUris}
          />
        </>
      ) : (
        <p className="text-sm text-slate-600">Machine-to-machine clients have no redirect URIs: they never send a user anywhere.</p>
      )}

      {type.webOrigins ? (
        <ListField
          label="Allowed web origins"
          hint="Optional. The exact origins (scheme://host[:port], no path) whose pages may call the token endpoint from the browser (CORS)."
          value={draft.allowedOrigins}
          onChange={(v) => onChange({ ...draft, allowedOrigins: v })}
          check={checks.origins}
          noun="origin"
          placeholder="https://app.example.com"
          testId="allowed-origins"
          disabled={disabled}
          error={errors.allowedOrigins}
        />
      ) : null}
    </div>
  );
}
