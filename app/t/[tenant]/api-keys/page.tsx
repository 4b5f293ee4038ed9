import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { getTenantOverview } from "../../../_lib/tenant";
import { ApiKeysPanel } from "./api-keys-panel";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">API keys</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          API keys let scripts and services call this console&apos;s API for {o.name} only — never another tenant. A key can do
          only what its scopes allow, and it is shown once, when it is created.
        </p>
      </div>
      {o.permissions.includes("apikeys.manage") ? (
        <ApiKeysPanel tenant={o.slug} tenantName={o.name} />
      ) : (
        <ForbiddenView what="API keys" />
      )}
    </div>
  );
}
