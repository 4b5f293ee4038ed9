// The tenant's usage (README "Per-tenant usage"): requests by surface, refusals, audit events,
// exports and storage over 24 h / 30 d — the basis for cost attribution. Owners and security admins.
import type { Metadata } from "next";
import { getTenantOverview } from "../../../_lib/tenant";
import { UsagePanel } from "./usage-panel";
import { TenantPage } from "@/components/tenant-page";
import { trpcServer } from "@/components/trpc/server";

export const metadata: Metadata = { title: "Usage" };

export default async function UsagePage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="Usage"
      intro={
        <p>
          What {o.name} used over the last 24 hours and 30 days: requests on each surface, requests refused by its rate limits or its
          share of the database pool, audit events, audit exports and stored data. Counted by every console instance and written about
          once a minute; storage is measured by a background job.
        </p>
      }
      permission="usage.read"
      forbiddenWhat="usage"
      prefetch={[trpcServer.usage.summary.queryOptions({ tenant: o.slug })]}
    >
      <UsagePanel tenant={o.slug} />
    </TenantPage>
  );
}
