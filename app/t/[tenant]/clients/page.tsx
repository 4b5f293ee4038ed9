import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { getTenantOverview } from "../../../_lib/tenant";
import { ClientsPanel } from "./clients-panel";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Clients</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          The applications that sign users in with {o.name} or call its APIs (OAuth 2.1 clients). Users are only ever sent back
          to a redirect URI registered here, matched exactly as written.
        </p>
      </div>
      {o.permissions.includes("clients.read") ? (
        <ClientsPanel tenant={o.slug} canManage={o.permissions.includes("clients.manage")} canManagePolicies={o.permissions.includes("policies.manage")}
          canTurnOffRegulated={o.role === "security_admin"}
        />
      ) : (
        <ForbiddenView what="OAuth clients" />
      )}
    </div>
  );
}
