"use client";
// Re-reads the page's server data (the usage counters) without a full reload.
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";

export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button variant="secondary" onClick={() => start(() => router.refresh())} disabled={pending} data-testid="refresh-usage">
      {pending ? "Refreshing…" : "Refresh"}
    </Button>
  );
}
