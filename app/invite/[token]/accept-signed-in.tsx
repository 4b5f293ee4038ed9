"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export function AcceptSignedIn({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.account.acceptInvitationSignedIn.mutationOptions({
      onSuccess: (r) => router.push(r.tenant ? `/t/${encodeURIComponent(r.tenant.slug)}` : "/tenants"),
    }),
  );
  return (
    <div className="space-y-4">
      {accept.isError ? (
        <Notice tone="error" testId="form-error">
          {errorMessage(accept.error)}
        </Notice>
      ) : null}
      <Button className="w-full" disabled={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })}>
        {accept.isPending ? "Accepting…" : "Accept invitation"}
      </Button>
    </div>
  );
}
