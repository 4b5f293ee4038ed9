"use client";
// Retention and checkpoints: how long the trail is kept (the tenant's policy), when the purge last
// ran and what it removed; owners and security admins can record a signed checkpoint on demand.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { formatDate, formatDateTime } from "@/components/format";
import { LoadingSkeleton } from "@/components/query-state";

export function RetentionInfo({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const info = useQuery(trpc.audit.retention.queryOptions({ tenant }));
  const [message, setMessage] = useState<{ tone: "info" | "error"; text: string } | null>(null);
  const checkpoint = useMutation(
    trpc.audit.checkpoint.mutationOptions({
      onSuccess: (r) => {
        setMessage({
          tone: "info",
          text: r.seq === null ? "The trail is empty: nothing to vouch for yet." : r.created ? `Signed checkpoint recorded at event ${r.seq}.` : `Nothing new since the checkpoint at event ${r.seq}.`,
        });
        void queryClient.invalidateQueries({ queryKey: trpc.audit.verifyChain.queryKey({ tenant }) });
      },
      onError: (e) => setMessage({ tone: "error", text: errorMessage(e) }),
    }),
  );
  if (info.isPending) return <LoadingSkeleton label="Loading retention…" rows={1} />;
  if (info.isError) return <Notice tone="error">{errorMessage(info.error)}</Notice>;
  const r = info.data;
  return (
    <div className="space-y-2 text-sm text-slate-700" data-testid="audit-retention">
      <p>
        Events are kept for <strong data-testid="audit-retention-days">{r.retentionDays} days</strong> (the tenant&apos;s data retention policy): events from before{" "}
        {formatDate(r.cutoff)} are removed by the retention purge, which records a signed checkpoint of what it removed so the rest of the chain still verifies.
      </p>
      <p className="text-xs text-slate-600" data-testid="audit-retention-last-run">
        {r.lastRun
          ? `Purge last ran ${formatDateTime(r.lastRun.at)}: removed ${r.lastRun.removed} event${r.lastRun.removed === "1" ? "" : "s"} (${r.lastRun.totalRemoved} in all).`
          : "The purge has not run for this tenant yet."}
        {r.purgedThroughSeq ? ` Events up to #${r.purgedThroughSeq} have been removed.` : ""}
        {r.lastRun?.error ? <span className="ml-1 text-red-700">Last run refused: {r.lastRun.error}</span> : null}
      </p>
      {canManage ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="secondary" className="py-1" onClick={() => checkpoint.mutate({ tenant })} disabled={checkpoint.isPending} data-testid="audit-checkpoint">
            {checkpoint.isPending ? "Recording…" : "Record signed checkpoint"}
          </Button>
          <span className="text-xs text-slate-500">Checkpoints are also recorded periodically; they make removing events from the end detectable.</span>
        </div>
      ) : null}
      {message ? (
        <Notice tone={message.tone} testId="audit-checkpoint-result">
          {message.text}
        </Notice>
      ) : null}
    </div>
  );
}
