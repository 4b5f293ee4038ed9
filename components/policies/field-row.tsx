"use client";
// One policy field: its effective value and where it comes from, and — for those who may change
// it — an override control or "Reset to inherited". Edits go into the page's draft; nothing is
// saved until the draft is saved with a comment.
import type { EffectiveField } from "@/server/policies/resolve";
import type { Control, Level } from "@/server/isomorphic/policies/sections";
import { enforcedLabel } from "@/server/isomorphic/policies/sections";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldControl } from "./field-control";
import { formatPolicyValue, sourceLabel } from "./format";

export interface FieldRowProps {
  path: string;
  label: string;
  help?: string;
  enforced: string;
  control: Control | { kind: "flag" };
  level: Level;
  /** Saved effective value at this level (undefined: a flag that exists only in the draft). */
  effective: EffectiveField | undefined;
  /** What this level would inherit without its own override. */
  inherited: EffectiveField | undefined;
  editable: boolean;
  savedOverride: { has: boolean; value?: unknown };
  draft: { has: boolean; value?: unknown };
  error: string | null;
  onOverride: () => void;
  onChange: (v: unknown) => void;
  onReset: () => void;
}

export function FieldRow(p: FieldRowProps) {
  const id = `policy-${p.path.replace(/\./g, "-")}`;
  const changed = p.draft.has !== p.savedOverride.has || (p.draft.has && JSON.stringify(p.draft.value) !== JSON.stringify(p.savedOverride.value));
  const source = p.effective ? sourceLabel(p.effective.source, p.level) : "not saved yet";
  return (
    <div
      className="space-y-2 border-t border-slate-100 py-3 first:border-t-0 first:pt-0 last:pb-0"
      data-testid="policy-field"
      data-field={p.path}
      data-source={p.effective?.source ?? "none"}
      data-overridden={String(p.savedOverride.has)}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-sm font-medium text-slate-900">{p.label}</p>
          {p.help ? <p className="text-xs text-slate-500">{p.help}</p> : null}
        </div>
        <div className="flex flex-wrap gap-1">
          <Badge tone={p.effective?.source === p.level ? "indigo" : "slate"} data-testid="policy-source">
            {source}
          </Badge>
          {p.effective?.forcedBy ? (
            <Badge tone="amber" data-testid="policy-forced">
              forced by regulated mode
            </Badge>
          ) : null}
        </div>
      </div>
      <p className="text-sm text-slate-700">
        Effective:{" "}
        <span className="font-medium text-slate-900" data-testid="policy-effective">
          {p.effective ? formatPolicyValue(p.control, p.effective.value) : "—"}
        </span>
      </p>

      {p.editable ? (
        p.draft.has ? (
          <div className="space-y-2">
            <div className="flex flex-wrap items-center gap-2">
              <FieldControl id={id} label={p.label} control={p.control} value={p.draft.value} invalid={p.error !== null} onChange={p.onChange} />
              <Button variant="secondary" className="py-1 text-xs" onClick={p.onReset} data-testid="policy-reset">
                Reset to inherited
              </Button>
            </div>
            {p.error ? (
              <p className="text-xs text-red-700" data-testid="policy-field-error">
                {p.error}
              </p>
            ) : null}
            {p.inherited ? (
              <p className="text-xs text-slate-500">
                Without this override: {formatPolicyValue(p.control, p.inherited.value)} ({sourceLabel(p.inherited.source, p.level)}).
              </p>
            ) : null}
          </div>
        ) : (
          <Button variant="secondary" className="py-1 text-xs" onClick={p.onOverride} data-testid="policy-override">
            Override
          </Button>
        )
      ) : null}

      {changed ? (
        <p className="text-xs font-medium text-amber-800" data-testid="policy-pending">
          {p.draft.has
            ? `Unsaved: ${p.savedOverride.has ? "changed to" : "overridden with"} ${formatPolicyValue(p.control, p.draft.value)}`
            : `Unsaved: reset to inherited (${p.inherited ? formatPolicyValue(p.control, p.inherited.value) : "removed"})`}
        </p>
      ) : null}
      <p className="text-xs text-slate-600" data-testid="policy-enforced">{enforcedLabel(p.enforced)}</p>
    </div>
  );
}
