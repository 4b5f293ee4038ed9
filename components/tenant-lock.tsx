"use client";
// Why the signed-in operator cannot change this tenant right now (a security admin paused it), or
// null. Set once by the tenant layout from the overview it already reads, so every page can disable
// its changing buttons up front — with the reason beside them — instead of refusing after a
// confirmation. The server refuses the same changes (server/api/trpc.ts); this is the courtesy.
import { createContext, useContext, type ReactNode } from "react";
import { TENANT_LOCK_REASON_ID } from "./tenant-lock-id";

const TenantLockContext = createContext<string | null>(null);


export function TenantLockProvider({ reason, children }: { reason: string | null; children: ReactNode }) {
  return <TenantLockContext.Provider value={reason}>{children}</TenantLockContext.Provider>;
}

/** The reason changes are blocked (for `title`), or null when they are allowed. */
export function useTenantLock(): string | null {
  return useContext(TenantLockContext);
}

/** Props for a button that changes the tenant: disabled with the reason while locked. */
export function lockedButtonProps(reason: string | null): { disabled?: true; title?: string; "aria-describedby"?: string } {
  return reason ? { disabled: true, title: reason, "aria-describedby": TENANT_LOCK_REASON_ID } : {};
}
