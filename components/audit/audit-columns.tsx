"use client";
// The audit event columns shared by the tenant audit page, the platform stream and the
// cross-tenant platform view: one definition of how time, actor, action, target and IP read, with
// options for what differs (a tenant column, the actor's kind, an IP column, an expandable detail).
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useCallback, useState } from "react";
import { RelativeTime } from "@/components/time";
import { Button } from "@/components/ui/button";
import { ACTIONS_COLUMN } from "@/components/ui/data-table";

/** The fields every audit event view has in common. */
export type AuditColumnEvent = {
  id: bigint;
  occurredAt: Date | string;
  actorLabel: string | null;
  actorType: string;
  action: string;
  outcome: string;
  targetType: string;
  targetId: string | null;
  ip?: string | null;
  tenantSlug?: string;
};

export type AuditColumnOptions = {
  /** A column linking to each event's tenant (cross-tenant views). */
  tenant?: boolean;
  /** Show the actor's kind after a non-user actor's label, e.g. "deploy bot (api_key)". */
  actorKind?: boolean;
  /** The IP column. */
  ip?: boolean;
  /** A "Details" button per row that expands it; the detail element's id is `${idPrefix}${id}`. */
  details?: { open: ReadonlySet<string>; toggle: (id: string) => void; idPrefix: string };
};

export function auditColumns<E extends AuditColumnEvent>(options: AuditColumnOptions = {}): ColumnDef<E>[] {
  const cols: ColumnDef<E>[] = [
    {
      id: "time",
      enableHiding: false,
      meta: { label: "Time", className: "whitespace-nowrap text-slate-600" },
      cell: ({ row: { original: e } }) => <RelativeTime at={e.occurredAt} />,
    },
  ];
  if (options.tenant) {
    cols.push({
      id: "tenant",
      meta: { label: "Tenant" },
      cell: ({ row: { original: e } }) => (
        <Link href={`/t/${e.tenantSlug}/audit`} className="font-mono text-indigo-700 hover:underline">
          {e.tenantSlug}
        </Link>
      ),
    });
  }
  cols.push(
    {
      id: "actor",
      meta: { label: "Actor", className: "text-slate-900" },
      cell: ({ row: { original: e } }) => (
        <>
          {e.actorLabel ?? e.actorType}
          {options.actorKind && e.actorLabel && e.actorType !== "user" && e.actorLabel !== e.actorType ? (
            <span className="ml-1 text-xs text-slate-500">({e.actorType})</span>
          ) : null}
        </>
      ),
    },
    {
      id: "action",
      enableHiding: false,
      meta: { label: "Action", className: "font-mono text-slate-900" },
      cell: ({ row: { original: e } }) => (
        <>
          {e.action}
          {e.outcome !== "success" ? <span className="ml-2 font-sans text-xs text-red-700">{e.outcome}</span> : null}
        </>
      ),
    },
    {
      id: "target",
      meta: { label: "Target", className: "max-w-56 truncate text-slate-700" },
      cell: ({ row: { original: e } }) => (
        <span title={e.targetId ?? undefined}>
          {e.targetType}
          {e.targetId ? <span className="ml-1 font-mono text-xs text-slate-500">{e.targetId}</span> : null}
        </span>
      ),
    },
  );
  if (options.ip) {
    cols.push({ id: "ip", meta: { label: "IP", className: "whitespace-nowrap font-mono text-xs text-slate-600" }, cell: ({ row }) => row.original.ip ?? "—" });
  }
  const details = options.details;
  if (details) {
    cols.push({
      id: ACTIONS_COLUMN,
      enableHiding: false,
      meta: { label: "Details" },
      cell: ({ row: { original: e } }) => {
        const id = e.id.toString();
        const expanded = details.open.has(id);
        return (
          <Button variant="ghost" className="py-1" aria-expanded={expanded} aria-controls={`${details.idPrefix}${id}`} onClick={() => details.toggle(id)}>
            {expanded ? "Hide" : "Details"}
            <span className="sr-only"> for event {id}</span>
          </Button>
        );
      },
    });
  }
  return cols;
}

/** Which rows are expanded, and a stable toggle for one. */
export function useExpandedRows(): { open: ReadonlySet<string>; toggle: (id: string) => void } {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setOpen((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  return { open, toggle };
}
