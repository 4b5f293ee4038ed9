// Purge progress of one deletion (security admins): the step, rows deleted per kind, retries.
import { formatDateTime } from "@/components/format";
import { th, tdTop } from "@/components/ui/table";

export interface ProgressView {
  step: string | null;
  stepLabel: string | null;
  stepIndex: number;
  totalSteps: number;
  deleted: { kind: string; label: string; count: number }[];
  batches: number;
  retries: number;
  lastError: string | null;
  lastProgressAt: Date | string | null;
}

export function PurgeProgress({ progress, status }: { progress: ProgressView; status: string }) {
  const done = status === "completed";
  const stepNo = Math.min(progress.stepIndex + 1, progress.totalSteps);
  const pct = Math.round(((done ? progress.totalSteps : progress.stepIndex) / progress.totalSteps) * 100);
  return (
    <div className="space-y-3" data-testid="purge-progress">
      <div>
        <div className="flex flex-wrap justify-between gap-2 text-sm">
          <span className="font-medium text-slate-900" data-testid="purge-step">
            {status === "pending" ? "Waiting for the grace period to end" : done ? "Completed" : `Step ${stepNo} of ${progress.totalSteps}: ${progress.stepLabel ?? progress.step}`}
          </span>
          <span className="text-slate-600">
            {progress.batches} batches · <span data-testid="purge-retries">{progress.retries}</span> retries
            {progress.lastProgressAt ? ` · last progress ${formatDateTime(progress.lastProgressAt)}` : ""}
          </span>
        </div>
        <div className="mt-2 h-2 w-full overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Purge progress">
          <div className={`h-2 ${done ? "bg-emerald-600" : "bg-indigo-600"}`} style={{ width: `${pct}%` }} />
        </div>
      </div>
      {progress.lastError ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="purge-last-error">
          Last attempt failed (retried automatically): {progress.lastError}
        </p>
      ) : null}
      {progress.deleted.length > 0 ? (
        <table className="min-w-full text-sm" data-testid="purge-deleted">
          <thead>
            <tr>
              <th className={th}>Deleted so far</th>
              <th className={`${th} text-right`}>Count</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {progress.deleted.map((d) => (
              <tr key={d.kind}>
                <td className={tdTop}>{d.label}</td>
                <td className={`${tdTop} text-right font-mono`}>{d.count.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
