import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
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
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Audit trail</h1>
        <p className="mt-1 text-sm text-slate-600">Every change in {o.name}, newest first.</p>
      </div>
      {o.permissions.includes("audit.read") ? (
        <>
          <Section title="Integrity and retention">
            <div className="space-y-4">
              <VerifyChain tenant={o.slug} />
              <RetentionInfo tenant={o.slug} canManage={o.permissions.includes("audit.manage")} />
            </div>
          </Section>
          <AuditTable tenant={o.slug} canExport={o.permissions.includes("audit.export")} />
        </>
      ) : (
        <ForbiddenView what="the audit trail" />
      )}
    </div>
  );
}
