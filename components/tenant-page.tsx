// The frame of a tenant section page: the h1, an intro, and the section itself only if the caller's
// role in this tenant has the permission — else the forbidden view. Optionally prefetches the
// section's first queries on the server so the page renders with data (components/trpc/server.tsx).
import type { FetchQueryOptions } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { TenantPermission } from "@/server/isomorphic/auth/permissions";
import { ForbiddenView } from "./forbidden-view";
import { Prefetched } from "./trpc/server";
import type { TenantOverview } from "@/app/_lib/tenant";

export function TenantPage({
  overview,
  title,
  intro,
  permission,
  forbiddenWhat,
  prefetch,
  actions,
  children,
}: {
  overview: TenantOverview;
  title: ReactNode;
  intro?: ReactNode;
  /** Without it the section is not shown (the nav hides it too; this covers a typed URL). A list: any one of them. */
  permission?: TenantPermission | readonly TenantPermission[];
  /** "API keys" in "Your role in this tenant does not include access to API keys." */
  forbiddenWhat: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any tRPC queryOptions(...) result
  prefetch?: FetchQueryOptions<any, any, any, any>[];
  actions?: ReactNode;
  children: ReactNode;
}) {
  const needed: readonly TenantPermission[] = permission === undefined ? [] : typeof permission === "string" ? [permission] : permission;
  const allowed = needed.length === 0 || needed.some((p) => overview.permissions.includes(p));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">{title}</h1>
          {intro ? <div className="mt-1 max-w-3xl text-sm text-slate-600">{intro}</div> : null}
        </div>
        {allowed ? actions : null}
      </div>
      {!allowed ? (
        <ForbiddenView what={forbiddenWhat} />
      ) : prefetch?.length ? (
        <Prefetched queries={prefetch}>{children}</Prefetched>
      ) : (
        children
      )}
    </div>
  );
}
