import type { Metadata } from "next";
import { getProfile } from "../../../_lib/operator";
import { load } from "../../../_lib/page-errors";
import { getTenantOverview, type TenantListPageProps } from "../../../_lib/tenant";
import { MembersPanel } from "./members-panel";
import { TenantPage } from "@/components/tenant-page";
import { trpcServer } from "@/components/trpc/server";
import { membersListInputFromParams } from "./list-input";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params, searchParams }: TenantListPageProps) {
  const { tenant } = await params;
  const [o, profile] = await Promise.all([getTenantOverview(tenant), load(getProfile, `/t/${encodeURIComponent(tenant)}/members`)]);

  return (
    <TenantPage
      overview={o}
      title="Members"
      intro={<p>Owners of {o.name} and time-limited, read-only support grants.</p>}
      permission="members.read"
      forbiddenWhat="members"
      prefetch={[trpcServer.members.list.queryOptions(membersListInputFromParams(o.slug, await searchParams)), trpcServer.invitations.list.queryOptions({ tenant: o.slug })]}
    >
      <MembersPanel tenant={o.slug} tenantName={o.name} canManage={o.permissions.includes("members.manage")} currentUserId={profile.id} />
    </TenantPage>
  );
}
