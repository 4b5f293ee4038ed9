import Link from "next/link";
import type { ReactNode } from "react";
import type { Role } from "@/server/isomorphic/auth/permissions";
import { RoleBadge } from "@/components/role-badge";
import { StatusBadge } from "@/components/status-badge";

/** One tenant in a list: a link to its console with slug, name, role and status (paused too). */
export function TenantRow({ slug, name, status, paused = false, role, note }: { slug: string; name: string; status: string; paused?: boolean; role: Role; note?: ReactNode }) {
  return (
    <li>
      <Link
        href={`/t/${encodeURIComponent(slug)}`}
        className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 hover:bg-slate-50 focus-visible:bg-slate-50"
      >
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium text-slate-900">{name}</span>
          <span className="block font-mono text-xs text-slate-500">{slug}</span>
        </span>
        {note ? <span className="text-xs text-slate-600">{note}</span> : null}
        {status !== "active" ? <StatusBadge status={status} /> : null}
        {paused ? <StatusBadge status="paused" /> : null}
        <RoleBadge role={role} />
      </Link>
    </li>
  );
}
