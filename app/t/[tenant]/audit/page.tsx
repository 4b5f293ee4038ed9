import type { Metadata } from "next";
import { TenantPage } from "@/components/tenant-page";
import { getTenantOverview } from "../../../_lib/tenant";
import { AuditTable } from "./audit-table";
import { VerifyChain } from "./verify-chain";
import { RetentionInfo } from "./retention-info";
import { Section } from "@/components/ui/card";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage overview={o} title="Audit trail" permission="audit.read" forbiddenWhat="the audit trail" intro={<p>Every change in {o.name}, newest first.</p>}>
      <Section title="Integrity and retention">
        <div className="space-y-4">
          <VerifyChain tenant={o.slug} />
          <RetentionInfo tenant={o.slug} canManage={o.permissions.includes("audit.manage")} />
        </div>
      </Section>
      <AuditTable tenant={o.slug} canExport={o.permissions.includes("audit.export")} />
    </TenantPage>
  );
}
