"use client";
// Security admins: pause the tenant (with a reason its operators will see) or resume it, each after
// a confirmation. What a pause does is spelled out in the dialog (server/tenancy/paused.ts).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export function PauseControl({ tenant, name, paused, reasonMax }: { tenant: string; name: string; paused: boolean; reasonMax: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);

  const done = () => {
    setConfirming(false);
    setReason("");
    router.refresh();
  };
  const pause = useMutation(trpc.platform.tenants.pause.mutationOptions({ onSuccess: done }));
  const resume = useMutation(trpc.platform.tenants.resume.mutationOptions({ onSuccess: done }));
  const active = paused ? resume : pause;

  function ask(e: FormEvent) {
    e.preventDefault();
    pause.reset();
    resume.reset();
    setConfirming(true);
  }

  return (
    <Section title={paused ? "Resume tenant" : "Pause tenant"}>
      <form onSubmit={ask} className="space-y-4" data-testid="pause-control">
        {paused ? (
          <p className="text-sm text-slate-600">Resuming lets API keys, public endpoints, changes and key auto-promotion work again at once.</p>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              An emergency brake: API-key requests and public endpoints (JWKS, discovery, authorize-check) answer 423, owners can
              look but not change anything, and signing keys are not auto-promoted. Security admins can still make changes.
            </p>
            <Field id="pause-reason" label="Reason" hint="Shown to the tenant's operators and kept in its audit trail.">
              <TextInput
                id="pause-reason"
                name="reason"
                required
                maxLength={reasonMax}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-describedby="pause-reason-hint"
              />
            </Field>
          </>
        )}
        {active.isError && !confirming ? <Notice tone="error">{errorMessage(active.error)}</Notice> : null}
        <Button type="submit" variant={paused ? "primary" : "danger"} disabled={!paused && !reason.trim()}>
          {paused ? "Resume tenant…" : "Pause tenant…"}
        </Button>
      </form>
      <ConfirmDialog
        open={confirming}
        title={paused ? `Resume ${name}?` : `Pause ${name}?`}
        confirmLabel={paused ? "Resume" : "Pause"}
        tone={paused ? "primary" : "danger"}
        pending={active.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => (paused ? resume.mutate({ slug: tenant }) : pause.mutate({ slug: tenant, reason: reason.trim() }))}
      >
        {paused ? (
          <p>Its API traffic and public endpoints are served again immediately.</p>
        ) : (
          <>
            <p>
              Every API key and public endpoint of <strong>{name}</strong> is refused from the next request on, including the JWKS its
              verifiers fetch.
            </p>
            <p className="break-words">Reason: {reason.trim()}</p>
          </>
        )}
        {active.isError ? <Notice tone="error">{errorMessage(active.error)}</Notice> : null}
      </ConfirmDialog>
    </Section>
  );
}
