import type { Metadata } from "next";
import { ForbiddenView } from "@/components/forbidden-view";
import { getProfile } from "../../../_lib/operator";
import { load } from "../../../_lib/page-errors";
import { getTenantOverview } from "../../../_lib/tenant";
import { MembersPanel } from "./members-panel";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const [o, profile] = await Promise.all([getTenantOverview(tenant), load(getProfile, `/t/${encodeURIComponent(tenant)}/members`)]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Members</h1>
        <p className="mt-1 text-sm text-slate-600">Owners of {o.name} and time-limited, read-only support grants.</p>
      </div>
      {o.permissions.includes("members.read") ? (
        <MembersPanel
          tenant={o.slug}
          tenantName={o.name}
          canManage={o.permissions.includes("members.manage")}
          currentUserId={profile.id}
        />
      ) : (
        <ForbiddenView what="members" />
      )}
    </div>
  );
}
