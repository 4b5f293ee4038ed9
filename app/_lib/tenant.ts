// The tenant overview, read once per request and shared by the tenant layout and its pages.
import { cache } from "react";
import { serverCaller } from "@/server/api/server-caller";
import { load } from "./page-errors";

export const getTenantOverview = cache(async (tenant: string) =>
  load(async () => (await serverCaller()).tenant.overview({ tenant }), `/t/${encodeURIComponent(tenant)}`),
);

export type TenantOverview = Awaited<ReturnType<typeof getTenantOverview>>;
