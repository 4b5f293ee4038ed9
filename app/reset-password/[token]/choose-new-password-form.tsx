"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button, buttonClasses } from "@/components/ui/button";
import { ClientForm } from "@/components/forms/client-form";
import { Notice } from "@/components/ui/notice";
import { NewPasswordFields, readNewPassword } from "@/components/new-password-fields";

export function ChooseNewPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const reset = useMutation(trpc.account.resetPassword.mutationOptions());

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const read = readNewPassword(new FormData(e.currentTarget));
    if ("error" in read) return setMismatch(read.error);
    setMismatch(null);
    reset.mutate({ token, password: read.password });
  }

  if (reset.isSuccess) {
    return (
      <div className="space-y-4">
        <Notice tone="info" testId="form-success">
          Your password was changed and every session of {reset.data.email} was signed out.
        </Notice>
        <Link href="/signin" className={buttonClasses("primary", "w-full")}>
          Sign in
        </Link>
      </div>
    );
  }
  const error = mismatch ?? (reset.isError ? errorMessage(reset.error) : null);
  return (
    <ClientForm onSubmit={submit} className="space-y-4">
      <NewPasswordFields invalid={Boolean(error)} />
      {error ? (
        <Notice tone="error" testId="form-error">
          {error}
        </Notice>
      ) : null}
      <Button type="submit" className="w-full" disabled={reset.isPending}>
        {reset.isPending ? "Saving…" : "Set new password"}
      </Button>
    </ClientForm>
  );
}
