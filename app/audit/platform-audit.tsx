"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { th, tdTop } from "@/components/ui/table";
import { formatDateTime, isoString } from "@/components/format";

export function PlatformAudit() {
  const trpc = useTRPC();
  const query = useInfiniteQuery(trpc.platform.auditEvents.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor }));
  if (query.isPending) return <p className="text-sm text-slate-500">Loading events…</p>;
  if (query.isError) return <Notice tone="error">{errorMessage(query.error)}</Notice>;
  const events = query.data.pages.flatMap((p) => p.items);
  const regulated = query.data.pages[0]!.regulated;
  return (
    <div className="space-y-3">
      <Notice testId="platform-audit-regulated">
        {regulated.tenants === null || regulated.eventsLast24h === null
          ? `Fewer than ${regulated.minTenants} tenants have regulated activity, so no totals are shown: a count over so few tenants would identify them. Their events never appear here.`
          : `${regulated.tenants} tenants have regulated activity and are excluded here; together they recorded ${regulated.eventsLast24h.toLocaleString("en-US")} regulated event${regulated.eventsLast24h === 1 ? "" : "s"} in the last 24 hours.`}
      </Notice>
      <Card className="overflow-x-auto">
        {events.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-600">No events.</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50">
              <tr>
                <th scope="col" className={th}>Time</th>
                <th scope="col" className={th}>Tenant</th>
                <th scope="col" className={th}>Actor</th>
                <th scope="col" className={th}>Action</th>
                <th scope="col" className={th}>Target</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <tr key={e.id.toString()} data-testid="platform-audit-row">
                  <td className={`${tdTop} whitespace-nowrap text-slate-600`}>
                    <time dateTime={isoString(e.occurredAt)}>{formatDateTime(e.occurredAt)}</time>
                  </td>
                  <td className={tdTop}>
                    <Link href={`/t/${e.tenantSlug}/audit`} className="font-mono text-indigo-700 hover:underline">
                      {e.tenantSlug}
                    </Link>
                  </td>
                  <td className={`${tdTop} text-slate-900`}>{e.actorLabel ?? e.actorType}</td>
                  <td className={`${tdTop} font-mono text-slate-900`}>
                    {e.action}
                    {e.outcome !== "success" ? <span className="ml-2 font-sans text-xs text-red-700">{e.outcome}</span> : null}
                  </td>
                  <td className={`${tdTop} max-w-56 truncate text-slate-700`} title={e.targetId ?? undefined}>
                    {e.targetType}
                    {e.targetId ? <span className="ml-1 font-mono text-xs text-slate-500">{e.targetId}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
