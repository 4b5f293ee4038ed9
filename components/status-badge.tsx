import { Badge } from "./ui/badge";

/** Tenant status; "active" is the quiet default. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={status === "active" ? "green" : status === "suspended" || status === "paused" ? "amber" : "slate"}>{status}</Badge>;
}
