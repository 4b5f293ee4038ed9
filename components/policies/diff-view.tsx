"use client";
// Per-field differences between two versions of one level's overrides. A field missing from a
// version is "inherited" there (it had no override).
import type { VersionDiff } from "@/server/policies/service";
import { fieldSpec } from "@/server/isomorphic/policies/sections";
import { formatPolicyValue } from "./format";

const CHANGE_LABELS = { set: "overridden", removed: "reset to inherited", changed: "changed" } as const;

export function DiffView({ diff }: { diff: VersionDiff }) {
  const title = diff.from ? `Version ${diff.from.version} → version ${diff.to.version}` : `Before version ${diff.to.version} (nothing) → version ${diff.to.version}`;
  return (
    <div className="space-y-2" data-testid="policy-diff">
      <p className="text-sm font-medium text-slate-900" data-testid="policy-diff-title">
        {title}
      </p>
      {diff.changes.length === 0 ? (
        <p className="text-sm text-slate-600">No differences: both versions override the same values.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4 font-medium">Field</th>
                <th className="py-2 pr-4 font-medium">Change</th>
                <th className="py-2 pr-4 font-medium">Before</th>
                <th className="py-2 font-medium">After</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {diff.changes.map((c) => {
                const control = fieldSpec(c.section, c.field)?.control ?? { kind: "flag" as const };
                return (
                  <tr key={`${c.section}.${c.field}`} data-testid="policy-diff-row" data-field={`${c.section}.${c.field}`}>
                    <td className="py-2 pr-4 font-mono text-xs text-slate-900">
                      {c.section}.{c.field}
                    </td>
                    <td className="py-2 pr-4 text-slate-700">{CHANGE_LABELS[c.change]}</td>
                    <td className="py-2 pr-4 text-slate-700" data-testid="policy-diff-before">
                      {c.change === "set" ? <em className="text-slate-500">inherited</em> : formatPolicyValue(control, c.before)}
                    </td>
                    <td className="py-2 text-slate-700" data-testid="policy-diff-after">
                      {c.change === "removed" ? <em className="text-slate-500">inherited</em> : formatPolicyValue(control, c.after)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
