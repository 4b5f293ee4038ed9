// The tenant audit table's row detail: the shared component (names next to ids, a before/after diff).
export { AuditEventDetail as AuditDetail } from "@/components/audit/event-detail";
