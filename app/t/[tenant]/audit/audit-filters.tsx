"use client";
// Filter bar of the audit trail. Applied on submit (not per keystroke): each change is a new
// server query over the tenant's indexed columns. Applied filters live in the URL (a reload or a
// shared link keeps them); times are typed and shown as "5 Dec 2026, 14:00" (UTC) like every other
// date in the console — a native date input would show the browser's locale (mm/dd/yyyy).
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

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-12-05T14:00" (the filters' stored form, UTC) → "5 Dec 2026, 14:00"; midnight → "5 Dec 2026". */
export function formatFilterTime(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return v;
  const date = `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  return m[4] === "00" && m[5] === "00" ? date : `${date}, ${m[4]}:${m[5]}`;
}

/**
 * What an operator typed → the stored form ("2026-12-05T14:00"); "" for nothing, null when it is
 * not a date. Accepts "5 Dec 2026", "5 December 2026 14:00", "5 Dec 2026, 14:00" and
 * "2026-12-05[ 14:00]".
 */
export function parseFilterTime(text: string): string | null {
  const t = text.trim();
  if (!t) return "";
  let y: number, mo: number, d: number;
  let h = 0, mi = 0;
  const human = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})(?:[,\s]+(\d{1,2}):(\d{2}))?$/.exec(t);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2}))?$/.exec(t);
  if (human) {
    const idx = MONTHS.findIndex((name) => human[2]!.toLowerCase().startsWith(name.toLowerCase()));
    if (idx < 0) return null;
    [d, mo, y] = [Number(human[1]), idx + 1, Number(human[3])];
    if (human[4]) [h, mi] = [Number(human[4]), Number(human[5])];
  } else if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4]) [h, mi] = [Number(iso[4]), Number(iso[5])];
  } else return null;
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

// Filter ↔ URL query parameter names.
const PARAMS: Record<keyof AuditFilterValues, string> = {
  from: "from",
  to: "to",
  actor: "actor",
  actionPrefix: "action",
  targetType: "targetType",
  targetId: "targetId",
  outcome: "outcome",
  text: "q",
};

/** The filters a URL carries (unknown or malformed values are ignored). */
export function filtersFromSearch(search: { get(name: string): string | null }): AuditFilterValues {
  const read = (k: keyof AuditFilterValues) => (search.get(PARAMS[k]) ?? "").slice(0, 500);
  const time = (k: "from" | "to") => parseFilterTime(read(k)) ?? "";
  const outcome = read("outcome");
  return {
    from: time("from"),
    to: time("to"),
    actor: read("actor"),
    actionPrefix: read("actionPrefix"),
    targetType: read("targetType"),
    targetId: read("targetId"),
    outcome: outcome === "success" || outcome === "failure" ? outcome : "",
    text: read("text"),
  };
}

/** The query string for the filters (empty ones left out), without "?". */
export function filtersToSearch(f: AuditFilterValues): string {
  const q = new URLSearchParams();
  for (const k of Object.keys(PARAMS) as (keyof AuditFilterValues)[]) if (f[k]) q.set(PARAMS[k], f[k]);
  return q.toString();
}

/** The query input for the filters: empty fields omitted; times read as UTC. */
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
  // from/to are edited as text ("5 Dec 2026, 14:00") and parsed on apply.
  const [draft, setDraft] = useState({ ...value, from: formatFilterTime(value.from), to: formatFilterTime(value.to) });
  const [badTimes, setBadTimes] = useState<ReadonlySet<"from" | "to">>(new Set());
  const set = (k: keyof AuditFilterValues) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const from = parseFilterTime(draft.from);
    const to = parseFilterTime(draft.to);
    const bad = new Set<"from" | "to">();
    if (from === null) bad.add("from");
    if (to === null) bad.add("to");
    setBadTimes(bad);
    if (from === null || to === null) return;
    setDraft((d) => ({ ...d, from: formatFilterTime(from), to: formatFilterTime(to) }));
    onApply({ ...draft, from, to });
  };
  const timeHint = (k: "from" | "to") =>
    badTimes.has(k) ? <span className="text-red-700">Not a date: write it like 5 Dec 2026 or 5 Dec 2026, 14:00.</span> : "e.g. 5 Dec 2026, 14:00";
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
        <Field id="audit-from" label="From (UTC)" hint={timeHint("from")}>
          <TextInput id="audit-from" placeholder="5 Dec 2026, 14:00" value={draft.from} onChange={set("from")} aria-describedby="audit-from-hint" aria-invalid={badTimes.has("from") || undefined} data-testid="audit-filter-from" />
        </Field>
        <Field id="audit-to" label="To (UTC)" hint={timeHint("to")}>
          <TextInput id="audit-to" placeholder="5 Dec 2026, 18:00" value={draft.to} onChange={set("to")} aria-describedby="audit-to-hint" aria-invalid={badTimes.has("to") || undefined} data-testid="audit-filter-to" />
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
