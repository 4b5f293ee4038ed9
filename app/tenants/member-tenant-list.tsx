import type { Role } from "@/server/isomorphic/auth/permissions";
import { Card } from "@/components/ui/card";
import { formatDate } from "@/components/format";
import { TenantRow } from "./tenant-row";

interface MyTenant {
  slug: string;
  name: string;
  status: string;
  paused: boolean;
  role: Role;
  expiresAt: Date | null;
}

export function MemberTenantList({ tenants }: { tenants: MyTenant[] }) {
  if (tenants.length === 0) {
    return (
      <Card className="p-8 text-center text-sm text-slate-600" data-testid="tenants-empty">
        You do not have access to any tenant yet. Ask a tenant owner or a security admin to add you.
      </Card>
    );
  }
  return (
    <Card>
      <ul className="divide-y divide-slate-200" aria-label="Your tenants">
        {tenants.map((t) => (
          <TenantRow
            key={t.slug}
            slug={t.slug}
            name={t.name}
            status={t.status}
            paused={t.paused}
            role={t.role}
            note={t.role === "support" && t.expiresAt ? `read-only until ${formatDate(t.expiresAt)}` : undefined}
          />
        ))}
      </ul>
    </Card>
  );
}
