"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { ClientForm } from "@/components/forms/client-form";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export function RequestResetForm() {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  function submit(e: FormEvent) {
    e.preventDefault();
    request.mutate({ email: email.trim() });
  }
  return (
    <ClientForm onSubmit={submit} className="space-y-4">
      <Field id="reset-email" label="E-mail">
        <TextInput id="reset-email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      {request.isError ? (
        <Notice tone="error" testId="form-error">
          {errorMessage(request.error)}
        </Notice>
      ) : null}
      {request.isSuccess ? (
        <Notice tone="info" testId="form-success">
          {request.data.message}
        </Notice>
      ) : null}
      <Button type="submit" className="w-full" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Send reset link"}
      </Button>
    </ClientForm>
  );
}
