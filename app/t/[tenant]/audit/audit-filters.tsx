"use client";
// Filter bar of the audit trail. Applied on submit (not per keystroke): each change is a new
// server query over the tenant's indexed columns.
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, TextInput } from "@/components/ui/field";

export interface AuditFilterValues {
  from: string;
  to: string;
  actor: string;
  actionPrefix: string;
  targetType: string;
  targetId: string;
  outcome: "" | "success" | "failure";
  text: string;
}

export const NO_FILTERS: AuditFilterValues = { from: "", to: "", actor: "", actionPrefix: "", targetType: "", targetId: "", outcome: "", text: "" };

/** The query input for the filters: empty fields omitted; datetime-local values read as UTC. */
export function filterInput(f: AuditFilterValues) {
  const utc = (v: string) => (v ? new Date(`${v}:00Z`) : null);
  return {
    from: utc(f.from),
    to: utc(f.to),
    actor: f.actor || null,
    actionPrefix: f.actionPrefix || null,
    targetType: f.targetType || null,
    targetId: f.targetId || null,
    outcome: f.outcome || null,
    text: f.text || null,
  };
}

export function AuditFilters({ value, onApply }: { value: AuditFilterValues; onApply: (v: AuditFilterValues) => void }) {
  const [draft, setDraft] = useState(value);
  const set = (k: keyof AuditFilterValues) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const active = Object.values(value).some(Boolean);
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-xs" aria-label="Filter audit events">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="audit-text" label="Search">
          <TextInput id="audit-text" placeholder="action or target" value={draft.text} onChange={set("text")} data-testid="audit-filter-text" />
        </Field>
        <Field id="audit-actor" label="Actor">
          <TextInput id="audit-actor" placeholder="e-mail, key name or id" value={draft.actor} onChange={set("actor")} data-testid="audit-filter-actor" />
        </Field>
        <Field id="audit-action" label="Action starts with">
          <TextInput id="audit-action" placeholder="e.g. client." value={draft.actionPrefix} onChange={set("actionPrefix")} data-testid="audit-filter-action" />
        </Field>
        <Field id="audit-outcome" label="Outcome">
          <Select id="audit-outcome" value={draft.outcome} onChange={set("outcome")}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </Select>
        </Field>
        <Field id="audit-target-type" label="Target type">
          <TextInput id="audit-target-type" placeholder="e.g. oauth_client" value={draft.targetType} onChange={set("targetType")} />
        </Field>
        <Field id="audit-target-id" label="Target id">
          <TextInput id="audit-target-id" value={draft.targetId} onChange={set("targetId")} />
        </Field>
        <Field id="audit-from" label="From (UTC)">
          <TextInput id="audit-from" type="datetime-local" value={draft.from} onChange={set("from")} />
        </Field>
        <Field id="audit-to" label="To (UTC)">
          <TextInput id="audit-to" type="datetime-local" value={draft.to} onChange={set("to")} />
        </Field>
      </div>
      <div className="flex gap-2">
        <Button type="submit" data-testid="audit-filter-apply">Apply filters</Button>
        {active ? (
          <Button
            variant="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              onApply(NO_FILTERS);
            }}
          >
            Clear
          </Button>
        ) : null}
      </div>
    </form>
  );
}
