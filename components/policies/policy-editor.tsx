"use client";
// Every policy section as a card, edited as a draft of this level's overrides: override a field,
// change it, reset it to inherited; then save the whole draft as one new version with a comment.
// The draft starts from the version in force; the parent remounts this component (key) when a new
// version arrives, so a reload after a conflict starts from the latest version.
import { useState } from "react";
import type { PolicyState } from "@/server/policies/service";
import type { EffectiveField } from "@/server/policies/resolve";
import { diffDocuments } from "@/server/isomorphic/policies/document";
import { FEATURES, FIXED_SECTIONS, SECTION_KEYS, fieldSpec, sectionLevels, type FieldSpec, type FixedSectionKey, type OverridesDocument } from "@/server/isomorphic/policies/sections";
import { errorMessage } from "@/components/trpc/error-message";
import { appErrorCodeOf } from "@/server/isomorphic/errors";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { FieldRow } from "./field-row";
import { LEVEL_NOUNS } from "./format";

function without(doc: OverridesDocument, section: string, field: string): OverridesDocument {
  const rest = { ...doc[section] };
  delete rest[field];
  const out = { ...doc };
  if (Object.keys(rest).length) out[section] = rest;
  else delete out[section];
  return out;
}

function has(doc: OverridesDocument, section: string, field: string) {
  return !!doc[section] && Object.hasOwn(doc[section], field);
}

/** Client-side bounds check with the server's own schemas: "section.field" → message. */
function draftErrors(draft: OverridesDocument): Map<string, string> {
  const out = new Map<string, string>();
  for (const [section, fields] of Object.entries(draft)) {
    for (const [field, value] of Object.entries(fields)) {
      const schema = section === "features" ? FEATURES.value : fieldSpec(section, field)?.schema;
      const r = schema?.safeParse(value);
      if (r && !r.success) {
        const issue = r.error.issues[0]!;
        out.set(`${section}.${field}`, `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
      }
    }
  }
  return out;
}

export function PolicyEditor({
  state,
  canManage,
  saving,
  saveError,
  onSave,
  onReload,
}: {
  state: PolicyState;
  canManage: boolean;
  saving: boolean;
  saveError: unknown;
  onSave: (document: OverridesDocument, comment: string) => void;
  onReload: () => void;
}) {
  const [draft, setDraft] = useState<OverridesDocument>(state.overrides);
  const [comment, setComment] = useState("");
  const locked = useTenantLock(); // a paused tenant (none on the global defaults page)
  const [newFlag, setNewFlag] = useState("");
  const level = state.level;
  const changes = diffDocuments(state.overrides, draft);
  const errors = draftErrors(draft);
  const conflict = saveError && appErrorCodeOf(saveError) === "POLICY_VERSION_CONFLICT";

  const setField = (section: string, field: string, value: unknown) => setDraft((d) => ({ ...d, [section]: { ...d[section], [field]: value } }));
  const resetField = (section: string, field: string) => setDraft((d) => without(d, section, field));

  function row(section: string, field: string, spec: Pick<FieldSpec, "label" | "help" | "enforced" | "control"> | { label: string; help?: string; enforced: string; control: { kind: "flag" } }, effective: EffectiveField | undefined, inherited: EffectiveField | undefined, editable: boolean) {
    return (
      <FieldRow
        key={`${section}.${field}`}
        path={`${section}.${field}`}
        label={spec.label}
        help={spec.help}
        enforced={spec.enforced}
        control={spec.control}
        level={level}
        effective={effective}
        inherited={inherited}
        editable={editable}
        savedOverride={{ has: has(state.overrides, section, field), value: state.overrides[section]?.[field] }}
        draft={{ has: has(draft, section, field), value: draft[section]?.[field] }}
        error={errors.get(`${section}.${field}`) ?? null}
        onOverride={() => setField(section, field, inherited?.value ?? effective?.value ?? true)}
        onChange={(v) => setField(section, field, v)}
        onReset={() => resetField(section, field)}
      />
    );
  }

  const flagError = newFlag && !FEATURES.keyPattern.test(newFlag) ? `Flag names: ${FEATURES.keyRule}.` : null;

  return (
    <div className="space-y-6 pb-4">
      {state.effective.problems.length ? (
        <Notice tone="warning" testId="policy-problems">
          <p className="font-medium">The effective policy has problems:</p>
          <ul className="mt-1 list-disc pl-5">
            {state.effective.problems.map((p) => (
              <li key={p.id}>{p.message}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <div className="grid gap-6 xl:grid-cols-2">
        {SECTION_KEYS.map((key) => {
          // Global-only sections (the console's own operators) are not the tenant's business.
          if (level !== "global" && !sectionLevels(key).includes("tenant")) return null;
          const editable = canManage && sectionLevels(key).includes(level);
          const note = sectionLevels(key).includes(level) ? null : <p className="mb-3 text-xs text-slate-500">Applies to the whole tenant: set it on the tenant&apos;s policies.</p>;
          if (key === "features") {
            const names = [...new Set([...Object.keys(state.effective.sections.features), ...Object.keys(draft.features ?? {})])].sort();
            return (
              <Section key={key} title={FEATURES.title}>
                <p className="mb-3 text-sm text-slate-600">{FEATURES.description}</p>
                {note}
                {names.length === 0 ? <p className="text-sm text-slate-500">No flags are set.</p> : null}
                {names.map((flag) =>
                  row("features", flag, { label: flag, enforced: FEATURES.enforced, control: { kind: "flag" } }, state.effective.sections.features[flag], state.inherited.sections.features[flag], editable),
                )}
                {editable ? (
                  <div className="mt-4 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-3">
                    <Field id="policy-new-flag" label="Add a flag" hint={flagError ?? `At most ${FEATURES.maxKeys} flags.`}>
                      <TextInput id="policy-new-flag" value={newFlag} onChange={(e) => setNewFlag(e.target.value.trim())} aria-invalid={flagError ? true : undefined} placeholder="newSignInFlow" />
                    </Field>
                    <Button
                      variant="secondary"
                      disabled={!newFlag || flagError !== null}
                      onClick={() => {
                        setField("features", newFlag, true);
                        setNewFlag("");
                      }}
                    >
                      Add
                    </Button>
                  </div>
                ) : null}
              </Section>
            );
          }
          const spec = FIXED_SECTIONS[key as FixedSectionKey];
          const eff = state.effective.sections[key as FixedSectionKey] as Record<string, EffectiveField>;
          const inh = state.inherited.sections[key as FixedSectionKey] as Record<string, EffectiveField>;
          return (
            <Section key={key} title={spec.title}>
              <div data-testid="policy-section" data-section={key}>
                <p className="mb-3 text-sm text-slate-600">{spec.description}</p>
                {note}
                {Object.entries(spec.fields).map(([field, f]) => row(key, field, f as FieldSpec, eff[field], inh[field], editable))}
              </div>
            </Section>
          );
        })}
      </div>

      {canManage ? (
        <div className="sticky bottom-0 z-10 rounded-lg border border-slate-200 bg-white/95 p-4 shadow-md backdrop-blur" data-testid="policy-save-bar">
          {conflict ? (
            <Notice tone="warning" testId="policy-conflict" className="mb-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>{errorMessage(saveError)}</span>
                <Button variant="secondary" className="py-1 text-xs" onClick={onReload} data-testid="policy-reload">
                  Reload (discards your unsaved changes)
                </Button>
              </div>
            </Notice>
          ) : saveError ? (
            <Notice tone="error" testId="policy-save-error" className="mb-3">
              {errorMessage(saveError)}
            </Notice>
          ) : null}
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              onSave(draft, comment);
            }}
          >
            <p className="w-full text-sm text-slate-700 sm:w-auto sm:flex-none" data-testid="policy-change-count">
              {changes.length === 0 ? "No unsaved changes." : `${changes.length} unsaved change${changes.length === 1 ? "" : "s"} to the ${LEVEL_NOUNS[level]}.`}
            </p>
            <div className="min-w-64 flex-1">
              <Field id="policy-comment" label="Comment">
                <TextInput id="policy-comment" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} placeholder="Why does the policy change?" />
              </Field>
            </div>
            <Button type="submit" disabled={saving || changes.length === 0 || errors.size > 0 || comment.trim() === ""} {...lockedButtonProps(locked)} data-testid="policy-save">
              {saving ? "Saving…" : "Save as new version"}
            </Button>
            <Button variant="ghost" disabled={saving || changes.length === 0} onClick={() => setDraft(state.overrides)}>
              Discard
            </Button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
