"use client";
import { useRouter } from "next/navigation";
import { SecondFactorForm, type Methods } from "@/components/mfa/second-factor-form";
import { useTRPCClient } from "@/components/trpc/client";

export function VerifyForm({ methods, callbackUrl }: { methods: Methods; callbackUrl: string }) {
  const client = useTRPCClient();
  const router = useRouter();
  return (
    <SecondFactorForm
      methods={methods}
      submitLabel="Verify"
      passkeyOptions={() => client.factors.passkeyOptions.mutate()}
      onProof={async (proof) => {
        if (proof.method === "password") return;
        await client.factors.verify.mutate(proof);
        router.replace(callbackUrl);
        router.refresh();
      }}
    />
  );
}
