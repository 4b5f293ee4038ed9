"use client";
// Setting up an authenticator app: QR code (or the secret typed in by hand), then a first code.
import { useId, useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { Notice } from "../ui/notice";

export function TotpEnrolment({ onEnrolled }: { onEnrolled: (recoveryCodes: string[] | null) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [code, setCode] = useState("");
  const start = useMutation(trpc.factors.enrolTotp.mutationOptions());
  const confirm = useMutation(
    trpc.factors.confirmTotp.mutationOptions({
      onSuccess: (r) => {
        start.reset();
        setCode("");
        onEnrolled(r.recoveryCodes);
      },
    }),
  );
  const enrolment = start.data;

  if (!enrolment) {
    return (
      <div className="space-y-2">
        {start.error ? <Notice tone="error">{start.error.message}</Notice> : null}
        <Button onClick={() => start.mutate()} disabled={start.isPending} data-testid="start-totp">
          Set up an authenticator app
        </Button>
      </div>
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    confirm.mutate({ factorId: enrolment!.factorId, code: code.replace(/\s/g, "") });
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="totp-enrolment">
      <p className="text-sm text-slate-700">Scan this QR code with your authenticator app, then enter the code it shows.</p>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL rendered on the server side of this request */}
      <img src={enrolment.qrCodeDataUrl} alt="QR code for your authenticator app" width={220} height={220} className="rounded border border-slate-200" />
      <div className="text-sm">
        <p className="text-slate-700">Can&apos;t scan it? Enter this key in the app instead:</p>
        <code className="mt-1 block break-all rounded bg-slate-100 px-2 py-1 font-mono" data-testid="totp-secret">
          {enrolment.secret}
        </code>
      </div>
      {confirm.error ? <Notice tone="error">{confirm.error.message}</Notice> : null}
      <Field id={`${id}-code`} label="Code from the app">
        <TextInput id={`${id}-code`} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" disabled={confirm.isPending}>
          Confirm
        </Button>
        <Button variant="ghost" onClick={() => start.reset()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
