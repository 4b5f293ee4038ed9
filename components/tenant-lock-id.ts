/** The id of the tenant layout's banner that states why changes are blocked: buttons point at it. */
export const TENANT_LOCK_REASON_ID = "tenant-lock-reason";
