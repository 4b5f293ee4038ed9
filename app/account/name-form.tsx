"use client";
// The operator's display name, validated with the procedure's schema (updateNameInput); the result
// is a toast, a refusal sits under the field.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import { updateNameInput } from "@/server/isomorphic/accounts/inputs";

type Values = z.input<typeof updateNameInput>;

export function NameForm({ initialName }: { initialName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values, unknown, z.output<typeof updateNameInput>>({
    resolver: zodResolver(updateNameInput),
    defaultValues: { name: initialName },
  });
  const { errors } = form.formState;
  const name = form.watch("name");
  const save = useMutation(
    trpc.account.updateName.mutationOptions({
      onSuccess: (r) => {
        toast.success("Name saved.", { testId: "name-saved" });
        form.reset({ name: r.name });
        router.refresh();
      },
      onError: (e) => applyServerError(form, e, ["name"]),
    }),
  );
  return (
    <ClientForm onSubmit={form.handleSubmit((v) => save.mutate(v))} noValidate className="space-y-4">
      <FormField id="account-name" label="Name" error={errors.name?.message}>
        {(c) => <TextInput {...c} autoComplete="name" {...form.register("name")} />}
      </FormField>
      <FormError message={errors.root?.server?.message} />
      <Button type="submit" variant="secondary" disabled={save.isPending || name.trim() === initialName}>
        {save.isPending ? "Saving…" : "Save name"}
      </Button>
    </ClientForm>
  );
}
