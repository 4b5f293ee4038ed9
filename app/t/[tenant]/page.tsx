import Link from "next/link";
import type { Metadata } from "next";
import { ROLE_LABELS } from "@/server/isomorphic/auth/permissions";
import { Card, Section } from "@/components/ui/card";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime } from "@/components/format";
import { PAUSE_REASON_MAX } from "@/server/isomorphic/tenants/pause-inputs";
import { getTenantOverview } from "../../_lib/tenant";
import { PauseControl } from "./pause-control";
import { RelativeTime } from "@/components/time";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Card className="p-4">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-3xl font-semibold text-slate-900" data-testid={testId}>
        {value}
      </p>
    </Card>
  );
}

export default async function TenantOverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const o = await getTenantOverview(tenant);
  const base = `/t/${encodeURIComponent(o.slug)}`;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">{o.name}</h1>
        <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
          <div className="flex gap-1">
            <dt>Slug:</dt>
            <dd className="font-mono text-slate-900" data-testid="tenant-slug">{o.slug}</dd>
          </div>
          <div className="flex items-center gap-1">
            <dt>Status:</dt>
            <dd data-testid="tenant-status">
              <StatusBadge status={o.pause ? "paused" : o.status} />
            </dd>
          </div>
          <div className="flex gap-1">
            <dt>Your role:</dt>
            <dd className="text-slate-900">{ROLE_LABELS[o.role]}</dd>
          </div>
          {o.accessExpiresAt ? (
            <div className="flex gap-1">
              <dt>Access until:</dt>
              <dd className="text-slate-900">{formatDateTime(o.accessExpiresAt)}</dd>
            </div>
          ) : null}
        </dl>
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <Stat label="Owners" value={o.counts.owners} testId="count-owners" />
        <Stat label="Active support grants" value={o.counts.support} testId="count-support" />
      </div>

      {o.recentActivity ? (
        <Section
          title="Recent activity"
          actions={
            <Link href={`${base}/audit`} className="rounded text-sm font-medium text-indigo-600 hover:text-indigo-800">
              View audit trail
            </Link>
          }
        >
          {o.recentActivity.length === 0 ? (
            <p className="text-sm text-slate-600">No activity yet.</p>
          ) : (
            <ul className="-my-2 divide-y divide-slate-100">
              {o.recentActivity.map((e) => (
                <li key={String(e.id)} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2 text-sm">
                  <span className="font-mono text-slate-900">{e.action}</span>
                  <span className="flex-1 text-slate-600">{e.actor ?? "system"}</span>
                  <RelativeTime at={e.occurredAt} className="text-slate-500" />
                </li>
              ))}
            </ul>
          )}
        </Section>
      ) : null}

      {o.canPause ? <PauseControl tenant={o.slug} name={o.name} paused={o.pause !== null} reasonMax={PAUSE_REASON_MAX} /> : null}
    </div>
  );
}
