import type { Metadata } from "next";
import { TenantPage } from "@/components/tenant-page";
import { getTenantOverview } from "../../../_lib/tenant";
import { BackupDownload } from "./backup-download";
import { BackupRestore } from "./backup-restore";

export const metadata: Metadata = { title: "Backup & restore" };

/** Owners and security admins: download the tenant's configuration, restore one into an empty tenant. */
export default async function BackupPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  return (
    <TenantPage
      overview={o}
      title="Backup & restore"
      permission={["backup.export", "backup.restore"]}
      forbiddenWhat="backups"
      intro={
        <p>
          A backup is one JSON document with this tenant&apos;s configuration: members and support grants, workspaces, every policy version
          (rate limits included), OAuth clients with their redirect URIs and signing keys&apos; public halves. It never contains client secrets
          or API keys. Restore it into an empty tenant, here or on another installation.
        </p>
      }
    >
      {o.permissions.includes("backup.export") ? <BackupDownload tenant={o.slug} securityAdmin={o.role === "security_admin"} /> : null}
      {o.permissions.includes("backup.restore") ? <BackupRestore tenant={o.slug} /> : null}
    </TenantPage>
  );
}
