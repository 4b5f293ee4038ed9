"use client";
// One audit event in detail: what it points at (with the thing's name next to its id), and its
// before/after state as a field-by-field diff — changed fields highlighted, unchanged ones dimmed —
// instead of two blobs of JSON. Used by the tenant audit table's expandable rows.
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useTRPC } from "../trpc/client";

export interface AuditEventDetailProps {
  before: unknown;
  after: unknown;
  targetType?: string | null;
  targetId?: string | null;
  requestId: string | null;
  userAgent: string | null;
  seq: bigint | null;
  hash: string | null;
}

type Flat = Map<string, unknown>;

/** Nested objects flattened to dotted paths; arrays and scalars are leaves. */
function flatten(value: unknown, prefix = "", out: Flat = new Map()): Flat {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  } else if (value !== null && value !== undefined) {
    out.set("(value)", value);
  }
  return out;
}

function show(v: unknown): string {
  if (v === undefined) return "";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

export type DiffKind = "added" | "removed" | "changed" | "same";

export function diffRows(before: unknown, after: unknown): { path: string; before: unknown; after: unknown; kind: DiffKind }[] {
  const b = flatten(before);
  const a = flatten(after);
  const paths = [...new Set([...b.keys(), ...a.keys()])].sort();
  return paths.map((path) => {
    const inB = b.has(path);
    const inA = a.has(path);
    const kind: DiffKind = !inB ? "added" : !inA ? "removed" : show(b.get(path)) === show(a.get(path)) ? "same" : "changed";
    return { path, before: b.get(path), after: a.get(path), kind };
  });
}

const KIND_LABEL: Record<DiffKind, string> = { added: "added", removed: "removed", changed: "changed", same: "unchanged" };

function TargetName({ type, id }: { type: string; id: string }) {
  const trpc = useTRPC();
  const { tenant } = useParams<{ tenant?: string }>();
  const labels = useQuery({
    ...trpc.audit.targetLabels.queryOptions({ tenant: tenant ?? "", targets: [{ type, id }] }),
    enabled: Boolean(tenant),
    staleTime: 60_000,
  });
  const label = labels.data?.find((l) => l.type === type && l.id === id)?.label;
  return (
    <span data-testid="audit-target">
      {type}
      {label ? <strong className="ml-1 font-medium text-slate-900">{label}</strong> : null}
      <span className="ml-1 font-mono text-xs text-slate-500">{id}</span>
    </span>
  );
}

export function AuditEventDetail({ before, after, targetType, targetId, requestId, userAgent, seq, hash }: AuditEventDetailProps) {
  const rows = diffRows(before, after);
  const changed = rows.filter((r) => r.kind !== "same").length;
  return (
    <div className="space-y-3" data-testid="audit-event-detail">
      {targetType && targetId ? (
        <p className="text-sm text-slate-700">
          Target: <TargetName type={targetType} id={targetId} />
        </p>
      ) : null}
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No state recorded for this event.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="min-w-full text-left text-xs" data-testid="audit-diff">
            <caption className="sr-only">
              State before and after the event: {changed} field{changed === 1 ? "" : "s"} changed
            </caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-semibold">Field</th>
                <th scope="col" className="px-3 py-2 font-semibold">Before</th>
                <th scope="col" className="px-3 py-2 font-semibold">After</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 font-mono">
              {rows.map((r) => (
                <tr key={r.path} data-kind={r.kind} className={r.kind === "same" ? "text-slate-500" : "text-slate-900"}>
                  <th scope="row" className="px-3 py-1.5 align-top font-medium">
                    {r.path}
                    {r.kind !== "same" ? <span className="ml-2 font-sans text-[11px] font-normal text-slate-600">({KIND_LABEL[r.kind]})</span> : null}
                  </th>
                  <td className={`max-w-md break-all px-3 py-1.5 align-top ${r.kind === "changed" || r.kind === "removed" ? "bg-amber-50 line-through decoration-slate-400" : ""}`}>
                    {show(r.before)}
                  </td>
                  <td className={`max-w-md break-all px-3 py-1.5 align-top ${r.kind === "changed" || r.kind === "added" ? "bg-emerald-50" : ""}`}>
                    {show(r.after)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {requestId || userAgent || seq !== null ? (
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
          {seq !== null ? (
            <div className="flex min-w-0 gap-1">
              <dt>Chain:</dt>
              <dd className="truncate font-mono" title={hash ?? undefined}>
                #{seq.toString()} {hash ? `${hash.slice(0, 16)}…` : ""}
              </dd>
            </div>
          ) : null}
          {requestId ? (
            <div className="flex gap-1">
              <dt>Request:</dt>
              <dd className="font-mono">{requestId}</dd>
            </div>
          ) : null}
          {userAgent ? (
            <div className="flex min-w-0 gap-1">
              <dt>User agent:</dt>
              <dd className="truncate">{userAgent}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </div>
  );
}
