import { Badge } from "./ui/badge";

/** Tenant status; "active" is the quiet default. */
export function StatusBadge({ status }: { status: string }) {
  const tone = status === "active" ? "green" : status === "suspended" || status === "paused" ? "amber" : status === "pending_deletion" ? "red" : "slate";
  return <Badge tone={tone}>{status === "pending_deletion" ? "pending deletion" : status}</Badge>;
}
