"use client";
// The step-up dialog: mounted once (components/trpc/client.tsx). When a dangerous action is refused
// for want of a recent verification, the tRPC link opens it; after the user proves themselves
// (factors.stepUp) the link retries the action. Cancelling lets the original refusal through.
import { useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { useTRPCClient } from "../trpc/client";
import { Button } from "../ui/button";
import { SecondFactorForm, type Methods } from "./second-factor-form";
import { finishStepUp, stepUpPending, subscribeStepUp } from "./step-up-store";

export function StepUpDialog() {
  const open = useSyncExternalStore(subscribeStepUp, stepUpPending, () => false);
  const client = useTRPCClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [methods, setMethods] = useState<Methods | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
    if (!open) return;
    setMethods(null);
    let live = true;
    client.factors.mine.query().then(
      (mine) => {
        if (!live) return;
        const totp = mine.factors.some((f) => f.kind === "totp");
        const passkey = mine.factors.some((f) => f.kind === "passkey");
        const any = mine.factors.length > 0;
        setMethods({ totp, passkey, recovery: any && mine.recoveryCodesLeft > 0, password: !any });
      },
      () => live && setMethods({ totp: false, passkey: false, recovery: false, password: true }),
    );
    return () => {
      live = false;
    };
  }, [open, client]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid="step-up-dialog"
      onCancel={(e) => {
        e.preventDefault();
        finishStepUp(false);
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      {open ? (
        <div className="space-y-4 p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            Confirm it&apos;s you
          </h2>
          <p className="text-sm text-slate-700">
            {methods?.password
              ? "This action needs a recent check. Enter your password to continue."
              : "This action needs a recent check. Use your second factor to continue."}
          </p>
          {methods ? (
            <SecondFactorForm
              methods={methods}
              submitLabel="Confirm"
              passkeyOptions={() => client.factors.passkeyOptions.mutate()}
              onProof={async (proof) => {
                await client.factors.stepUp.mutate(proof);
                finishStepUp(true);
              }}
            />
          ) : (
            <p className="text-sm text-slate-500">Loading…</p>
          )}
          <div className="flex justify-end">
            <Button variant="ghost" onClick={() => finishStepUp(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
