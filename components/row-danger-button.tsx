"use client";
// A table row's destructive action (revoke, remove, delete): quiet until hovered, red because it
// loses something, and disabled with the reason while the tenant is locked (components/tenant-lock).
import type { ReactNode } from "react";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { Button } from "@/components/ui/button";

export function RowDangerButton({ label, testId, onClick, children }: { label: string; testId?: string; onClick: () => void; children: ReactNode }) {
  const locked = useTenantLock();
  return (
    <Button
      variant="ghost"
      className="py-1 text-red-700 hover:bg-red-50 hover:text-red-800"
      onClick={onClick}
      {...lockedButtonProps(locked)}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}
