import type { Metadata } from "next";
import { getTenantOverview, type TenantListPageProps } from "../../../_lib/tenant";
import { ClientsPanel } from "./clients-panel";
import { TenantPage } from "@/components/tenant-page";
import { trpcServer } from "@/components/trpc/server";
import { clientsListInputFromParams } from "./list-input";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ params, searchParams }: TenantListPageProps) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="Clients"
      intro={
        <p>
          The applications that sign users in with {o.name} or call its APIs (OAuth 2.1 clients). Users are only ever sent back
          to a redirect URI registered here, matched exactly as written.
        </p>
      }
      permission="clients.read"
      forbiddenWhat="OAuth clients"
      prefetch={[trpcServer.clients.list.queryOptions(clientsListInputFromParams(o.slug, await searchParams))]}
    >
      <ClientsPanel
        tenant={o.slug}
        canManage={o.permissions.includes("clients.manage")}
        canManagePolicies={o.permissions.includes("policies.manage")}
        canTurnOffRegulated={o.role === "security_admin"}
      />
    </TenantPage>
  );
}
