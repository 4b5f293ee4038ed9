// The tenant overview, read once per request and shared by the tenant layout and its pages.
import { cache } from "react";
import { serverCaller } from "@/server/api/server-caller";
import { load } from "./page-errors";
import { currentPathUnder } from "./request-path";

export const getTenantOverview = cache(async (tenant: string) => {
  // Signed out: back to the page asked for (/t/acme/keys), not just the tenant's overview.
  const here = await currentPathUnder(`/t/${encodeURIComponent(tenant)}`);
  return load(async () => (await serverCaller()).tenant.overview({ tenant }), here);
});

export type TenantOverview = Awaited<ReturnType<typeof getTenantOverview>>;

/** The props Next gives a page under /t/[tenant]/ that reads its URL state (filters, sort, cursor). */
export interface TenantListPageProps {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}
