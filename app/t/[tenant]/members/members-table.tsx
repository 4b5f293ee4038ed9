import type { TenantRole } from "@/server/auth/permissions";
import { RoleBadge } from "@/components/role-badge";
import { Button } from "@/components/ui/button";
import { formatDateTime, isoString } from "@/components/format";
import { th, tdMiddle as td } from "@/components/ui/table";

export interface MemberRow {
  id: string;
  role: string;
  expiresAt: Date | null;
  user: { id: string; email: string; name: string; status: string };
}


export function MembersTable({ members, canManage, onRemove }: { members: MemberRow[]; canManage: boolean; onRemove: (m: MemberRow) => void }) {
  return (
    <div className="-mx-4 -my-4 overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>E-mail</th>
            <th scope="col" className={th}>Name</th>
            <th scope="col" className={th}>Role</th>
            <th scope="col" className={th}>Expires</th>
            {canManage ? <th scope="col" className={th}><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.id} data-testid="member-row">
              <td className={`${td} font-medium text-slate-900`}>{m.user.email}</td>
              <td className={`${td} text-slate-700`}>
                {m.user.name}
                {m.user.status !== "active" ? <span className="ml-2 text-xs text-slate-500">({m.user.status})</span> : null}
              </td>
              <td className={td}>
                {m.role === "owner" || m.role === "support" ? <RoleBadge role={m.role as TenantRole} /> : m.role}
              </td>
              <td className={`${td} whitespace-nowrap text-slate-700`}>
                {m.expiresAt ? <time dateTime={isoString(m.expiresAt)}>{formatDateTime(m.expiresAt)}</time> : <span className="text-slate-500">Never</span>}
              </td>
              {canManage ? (
                <td className={`${td} text-right`}>
                  <Button variant="ghost" className="py-1 text-red-700 hover:bg-red-50 hover:text-red-800" onClick={() => onRemove(m)} aria-label={`Remove ${m.user.email}`}>
                    Remove
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
