"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export function NameForm({ initialName }: { initialName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(initialName);
  const save = useMutation(trpc.account.updateName.mutationOptions({ onSuccess: () => router.refresh() }));
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ name });
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field id="account-name" label="Name">
        <TextInput id="account-name" name="name" required maxLength={200} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      {save.isError ? (
        <Notice tone="error" testId="name-error">
          {errorMessage(save.error)}
        </Notice>
      ) : null}
      {save.isSuccess ? (
        <Notice tone="info" testId="name-saved">
          Name saved.
        </Notice>
      ) : null}
      <Button type="submit" variant="secondary" disabled={save.isPending || name.trim() === initialName}>
        {save.isPending ? "Saving…" : "Save name"}
      </Button>
    </form>
  );
}
