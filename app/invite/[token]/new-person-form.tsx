"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { NewPasswordFields } from "@/components/new-password-fields";
import { MAX_PERSON_NAME_LENGTH } from "@/server/isomorphic/accounts/inputs";
import { acceptAsNewPerson, type AcceptState } from "./actions";

export function NewPersonForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptAsNewPerson, { error: null, name: "" });
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <Field id="invite-account-email" label="E-mail">
        <TextInput id="invite-account-email" type="email" value={email} readOnly autoComplete="username" />
      </Field>
      <Field id="name" label="Your name">
        <TextInput id="name" name="name" required maxLength={MAX_PERSON_NAME_LENGTH} autoComplete="name" defaultValue={state.name} />
      </Field>
      <NewPasswordFields invalid={Boolean(state.error)} />
      <div role="status" data-testid="form-error" className={state.error ? "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" : "sr-only"}>
        {state.error}
      </div>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your account…" : "Create account and accept"}
      </Button>
    </form>
  );
}
