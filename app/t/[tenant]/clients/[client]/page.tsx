import Link from "next/link";
import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { MAX_SECRET_OVERLAP_HOURS } from "@/server/isomorphic/clients/inputs";
import { getTenantOverview } from "../../../../_lib/tenant";
import { ClientDetail } from "./client-detail";

export const metadata: Metadata = { title: "Client" };

export default async function ClientPage({ params }: { params: Promise<{ tenant: string; client: string }> }) {
  const { tenant, client } = await params;
  const o = await getTenantOverview(tenant);
  const base = `/t/${encodeURIComponent(o.slug)}/clients`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href={base} className="font-medium text-indigo-600 hover:text-indigo-800">
          ← All clients
        </Link>
      </p>
      {o.permissions.includes("clients.read") ? (
        <ClientDetail
          tenant={o.slug}
          tenantName={o.name}
          clientRowId={client}
          canManage={o.permissions.includes("clients.manage")}
          maxOverlapHours={MAX_SECRET_OVERLAP_HOURS}
        />
      ) : (
        <>
          <h1 className="text-2xl font-semibold text-slate-900">Client</h1>
          <ForbiddenView what="OAuth clients" />
        </>
      )}
    </div>
  );
}
