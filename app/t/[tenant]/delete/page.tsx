import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { getTenantOverview } from "../../../_lib/tenant";
import { DeleteTenantForm } from "./delete-tenant-form";

export const metadata: Metadata = { title: "Delete tenant" };

/** The danger zone: owners and security admins (tenant.delete). */
export default async function DeleteTenantPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  if (!o.permissions.includes("tenant.delete")) return <ForbiddenView what="deleting the tenant" />;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Delete tenant</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Deleting a tenant is deliberate and reversible for a while: it is scheduled, not done at once. During the grace period its console,
          API keys and public endpoints are closed and an owner or a security admin can cancel. After it, everything the tenant holds is
          purged for good and a signed deletion receipt is kept.
        </p>
      </div>
      <DeleteTenantForm tenant={o.slug} name={o.name} />
    </div>
  );
}
