"use client";
// The step-up dialog: mounted once (components/trpc/client.tsx). When a dangerous action is refused
// for want of a recent verification, the tRPC link opens it; after the user proves themselves
// (factors.stepUp) the link retries the action. Cancelling lets the original refusal through.
import { useEffect, useState, useSyncExternalStore } from "react";
import { useTRPCClient } from "../trpc/context";
import { Button } from "../ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "../ui/dialog";
import { Skeleton } from "../ui/skeleton";
import { SecondFactorForm, type Methods } from "./second-factor-form";
import { finishStepUp, stepUpPending, subscribeStepUp } from "./step-up-store";

export function StepUpDialog() {
  const open = useSyncExternalStore(subscribeStepUp, stepUpPending, () => false);
  const client = useTRPCClient();
  const [methods, setMethods] = useState<Methods | null>(null);

  useEffect(() => {
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
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) finishStepUp(false);
      }}
    >
      <DialogContent
        showCloseButton={false}
        data-testid="step-up-dialog"
        className="w-[min(28rem,calc(100vw-2rem))] gap-4 p-5"
        onInteractOutside={(e) => e.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>Confirm it&apos;s you</DialogTitle>
          <DialogDescription className="text-slate-700">
            {methods?.password
              ? "This action needs a recent check. Enter your password to continue."
              : "This action needs a recent check. Use your second factor to continue."}
          </DialogDescription>
        </DialogHeader>
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
          <div className="space-y-2" aria-busy="true" aria-label="Loading your sign-in methods">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-9 w-full" />
          </div>
        )}
        <div className="flex justify-end">
          <Button variant="ghost" onClick={() => finishStepUp(false)}>
            Cancel
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
