"use client";
// "Verify integrity": recomputes the tenant's audit hash chain on the server and says whether it is
// intact or where it first breaks.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export function VerifyChain({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  // Only on demand: a full walk reads every event of the tenant.
  const check = useQuery({ ...trpc.audit.verifyChain.queryOptions({ tenant }), enabled: false, gcTime: 0 });
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" onClick={() => void check.refetch()} disabled={check.isFetching} data-testid="audit-verify">
        {check.isFetching ? "Verifying…" : "Verify integrity"}
      </Button>
      {check.isError ? (
        <Notice tone="error" testId="audit-verify-result">
          {errorMessage(check.error)}
        </Notice>
      ) : check.data ? (
        <Notice tone={check.data.intact ? "info" : "error"} testId="audit-verify-result">
          {check.data.intact ? "✓ " : "✗ Tampering detected — "}
          {check.data.message}
        </Notice>
      ) : (
        <p className="text-xs text-slate-500">Each event is hash-chained to the one before it; verification recomputes the chain.</p>
      )}
    </div>
  );
}
