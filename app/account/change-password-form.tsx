"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { NewPasswordFields, readNewPassword } from "@/components/new-password-fields";

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation(trpc.account.changePassword.mutationOptions());

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const read = readNewPassword(data);
    if ("error" in read) return setMismatch(read.error);
    setMismatch(null);
    change.mutate({ currentPassword: String(data.get("current") ?? ""), newPassword: read.password }, { onSuccess: () => form.reset() });
  }

  const error = mismatch ?? (change.isError ? errorMessage(change.error) : null);
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field id="current-password" label="Current password">
        <TextInput id="current-password" name="current" type="password" autoComplete="current-password" required />
      </Field>
      <NewPasswordFields invalid={Boolean(error)} />
      <p className="text-xs text-slate-500">Changing your password signs out your other sessions; this one stays signed in.</p>
      {error ? (
        <Notice tone="error" testId="password-error">
          {error}
        </Notice>
      ) : null}
      {change.isSuccess && !error ? (
        <Notice tone="info" testId="password-changed">
          Password changed. Your other sessions were signed out.
        </Notice>
      ) : null}
      <Button type="submit" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
