import type { Metadata } from "next";
import { getTenantOverview, type TenantListPageProps } from "../../../_lib/tenant";
import { ApiKeysPanel } from "./api-keys-panel";
import { TenantPage } from "@/components/tenant-page";
import { trpcServer } from "@/components/trpc/server";
import { apiKeysListInputFromParams } from "./list-input";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params, searchParams }: TenantListPageProps) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="API keys"
      intro={
        <p>
          API keys let scripts and services call this console&apos;s API for {o.name} only — never another tenant. A key can do
          only what its scopes allow, and it is shown once, when it is created.
        </p>
      }
      permission="apikeys.manage"
      forbiddenWhat="API keys"
      prefetch={[trpcServer.apiKeys.list.queryOptions(apiKeysListInputFromParams(o.slug, await searchParams))]}
    >
      <ApiKeysPanel tenant={o.slug} tenantName={o.name} />
    </TenantPage>
  );
}
