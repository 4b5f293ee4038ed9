import type { Metadata } from "next";
import { TenantPage } from "@/components/tenant-page";
import { getTenantOverview } from "../../../_lib/tenant";
import { DeleteTenantForm } from "./delete-tenant-form";

export const metadata: Metadata = { title: "Delete tenant" };

/** The danger zone: owners and security admins (tenant.delete). */
export default async function DeleteTenantPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="Delete tenant"
      permission="tenant.delete"
      forbiddenWhat="deleting the tenant"
      intro={
        <p>
          Deleting a tenant is deliberate and reversible for a while: it is scheduled, not done at once. During the grace period its console,
          API keys and public endpoints are closed and an owner or a security admin can cancel. After it, everything the tenant holds is
          purged for good and a signed deletion receipt is kept.
        </p>
      }
    >
      <DeleteTenantForm tenant={o.slug} name={o.name} />
    </TenantPage>
  );
}
