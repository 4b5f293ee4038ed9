import type { Metadata } from "next";
import { TenantPage } from "@/components/tenant-page";
import { getTenantOverview } from "../../../_lib/tenant";
import { TenantPolicies } from "./tenant-policies";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ workspace?: string | string[] }> }) {
  const { tenant } = await params;
  const { workspace } = await searchParams;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="Policies"
      permission="policies.read"
      forbiddenWhat="policies"
      intro={
        <p>
          How {o.name} behaves for its users. Every value comes from the platform&apos;s global defaults unless the tenant overrides it, and a
          workspace may override the tenant in turn. Each save is a new version with a comment; any version can be compared and rolled back to.
        </p>
      }
    >
      <TenantPolicies tenant={o.slug} workspace={typeof workspace === "string" && workspace ? workspace : null} canManage={o.permissions.includes("policies.manage")} />
    </TenantPage>
  );
}
