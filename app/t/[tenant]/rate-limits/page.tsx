// The tenant's rate limits as enforced right now (read-only; they are edited as the policy section
// "Rate limits" on the Policies page) and the current window's usage per surface.
import Link from "next/link";
import type { Metadata } from "next";
import { TenantPage } from "@/components/tenant-page";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { th, tdTop } from "@/components/ui/table";
import { serverCaller } from "@/server/api/server-caller";
import { load } from "../../../_lib/page-errors";
import { getTenantOverview } from "../../../_lib/tenant";
import { RefreshButton } from "./refresh-button";

export const metadata: Metadata = { title: "Rate limits" };

const duration = (s: number) => (s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`);

export default async function RateLimitsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  const base = `/t/${encodeURIComponent(o.slug)}`;

  // Read only with the permission; without it TenantPage shows the forbidden view.
  const r = o.permissions.includes("ratelimits.read")
    ? await load(async () => (await serverCaller()).rateLimits.usage({ tenant: o.slug }), `${base}/rate-limits`)
    : null;

  return (
    <TenantPage
      overview={o}
      title="Rate limits"
      permission="ratelimits.read"
      forbiddenWhat="rate limits"
      intro={
        <p>
          Requests {o.name} may send per window on each surface, counted for the whole tenant. Over the limit, requests get{" "}
          <code>429 Too Many Requests</code> with <code>Retry-After</code> and <code>RateLimit-*</code> headers.
          {r ? <> Once a window&apos;s quota is used up, the burst allowance is drawn on; it refills every {r.burstRefillWindows} windows.</> : null}{" "}
          {r && o.permissions.includes("policies.read") ? (
            <>
              The limits are part of the tenant&apos;s policy:{" "}
              <Link href={`${base}/policies`} className="font-medium text-indigo-600 hover:text-indigo-800" data-testid="edit-limits-link">
                change them on the Policies page
              </Link>
              .
            </>
          ) : null}
        </p>
      }
    >
      {r ? <RateLimitsView r={r} /> : null}
    </TenantPage>
  );
}

type Usage = Awaited<ReturnType<Awaited<ReturnType<typeof serverCaller>>["rateLimits"]["usage"]>>;

function RateLimitsView({ r }: { r: Usage }) {
  return (
    <>
      {r.degraded ? (
        <Notice tone="warning" testId="limiter-degraded">
          Redis is unreachable: each console instance is counting on its own until it returns (limits still apply per instance).
        </Notice>
      ) : null}

      <Section title="Limits and current usage" actions={<RefreshButton />}>
        <div className="relative overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="rate-limits-table">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={th}>Surface</th>
                <th scope="col" className={th}>Limit</th>
                <th scope="col" className={th}>This window</th>
                <th scope="col" className={th}>Burst</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {r.surfaces.map((s) => (
                <tr key={s.surface} data-testid="rate-limit-row" data-surface={s.surface}>
                  <td className={`${tdTop} text-slate-900`}>{s.label}</td>
                  <td className={tdTop} data-testid="rate-limit-limit">
                    <span className="whitespace-nowrap font-medium text-slate-900">
                      {s.limit.requestsPerWindow.toLocaleString("en-US")} / {duration(s.limit.windowSeconds)}
                    </span>
                    {s.limit.burst ? <span className="block text-slate-600">+{s.limit.burst.toLocaleString("en-US")} burst</span> : null}
                  </td>
                  <td className={tdTop} data-testid="rate-limit-usage">
                    {s.usage && s.usage.resetSeconds > 0 ? (
                      <>
                        <span className="whitespace-nowrap text-slate-900">
                          {s.usage.consumed.toLocaleString("en-US")} used, {s.usage.remaining.toLocaleString("en-US")} left
                        </span>
                        <span className="block text-slate-600">resets in {duration(s.usage.resetSeconds)}</span>
                      </>
                    ) : (
                      <span className="text-slate-500">No requests in the current window</span>
                    )}
                  </td>
                  <td className={tdTop}>
                    {!s.limit.burst ? (
                      <span className="text-slate-500">None</span>
                    ) : s.usage && s.usage.burstConsumed > 0 ? (
                      <>
                        <span className="whitespace-nowrap text-slate-900">
                          {s.usage.burstConsumed.toLocaleString("en-US")} used, {s.usage.burstRemaining.toLocaleString("en-US")} left
                        </span>
                        <span className="block text-slate-600">refills in {duration(s.usage.burstResetSeconds)}</span>
                      </>
                    ) : (
                      <span className="text-slate-500">Unused</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-3 text-xs text-slate-500">
          {r.store === "redis"
            ? "Counted in Redis, shared by every console instance."
            : r.store === "memory"
              ? "Counted in this console process (no Redis configured)."
              : "Rate limiting is disabled in this process."}{" "}
          A changed limit applies from the next request (other instances within {r.configCacheSeconds} s). Loading this page counts
          as console requests too; security admins&apos; requests are never counted.
        </p>
      </Section>
    </>
  );
}
