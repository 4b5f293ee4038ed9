// A paused tenant (a security admin's emergency brake, ADR-003 "tenant-level throttling or
// pausing"): its API-key traffic and public endpoints are refused with 423 Locked, background jobs
// that change it (auto-promotion) skip it, and its console is read-only except for security admins,
// who stay able to remediate (revoke keys, rotate) before resuming it. Pausing and resuming:
// server/tenants/pause.ts.
import { AppError } from "../isomorphic/errors";

/** What callers outside the console learn: no reason (that is for operators), nothing else. */
export const PAUSED_PUBLIC_MESSAGE = "This tenant is paused.";

export interface PauseState {
  readonly pausedAt: Date;
  readonly reason: string;
}

export class TenantPausedError extends AppError {
  constructor(
    readonly pause: PauseState,
    message = PAUSED_PUBLIC_MESSAGE,
  ) {
    super("TENANT_PAUSED", message);
    this.name = "TenantPausedError";
  }
}

// Read by people: the console's date style ("5 Dec 2026, 14:05 UTC", components/format.ts), not ISO.
const humanTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "5 Dec 2026, 14:05 UTC" */
export function formatPauseTime(at: Date): string {
  return `${humanTime.format(at)} UTC`;
}

/** What an operator of the tenant is told when a change is refused. */
export function pausedChangeMessage(p: PauseState): string {
  return `This tenant is paused (since ${formatPauseTime(p.pausedAt)}; reason: ${p.reason}). Changes are refused until a security admin resumes it.`;
}

/** What an API key is told. */
export const PAUSED_API_KEY_MESSAGE = "This tenant is paused: its API traffic is refused until a security admin resumes it.";

export function pauseStateOf(row: { pausedAt: Date | null; pausedReason: string | null }): PauseState | null {
  return row.pausedAt ? { pausedAt: row.pausedAt, reason: row.pausedReason ?? "" } : null;
}
