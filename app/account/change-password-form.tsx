"use client";
// Change the operator's password, validated with the procedure's schema (changePasswordInput) plus
// the repeated entry; the server's refusals (wrong current password, too easy to guess) sit beside
// their field by the field the service names. The result is a toast.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { PASSWORD_HINT } from "@/components/new-password-fields";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import { changePasswordInput, MAX_PASSWORD_LENGTH } from "@/server/isomorphic/accounts/inputs";

const formSchema = changePasswordInput
  .extend({ confirm: z.string() })
  .refine((v) => v.confirm === v.newPassword, { message: "The two passwords differ. Type the same password twice.", path: ["confirm"] });
type Values = z.input<typeof formSchema>;
const FIELDS = ["currentPassword", "newPassword"] as const;
const EMPTY: Values = { currentPassword: "", newPassword: "", confirm: "" };

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const form = useForm<Values, unknown, z.output<typeof formSchema>>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors } = form.formState;
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        form.reset(EMPTY);
        toast.success("Password changed. Your other sessions were signed out.", { testId: "password-changed" });
      },
      onError: (e) => applyServerError(form, e, FIELDS),
    }),
  );

  return (
    <ClientForm onSubmit={form.handleSubmit(({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword }))} noValidate className="space-y-4">
      <FormField id="current-password" label="Current password" error={errors.currentPassword?.message}>
        {(c) => <TextInput {...c} type="password" autoComplete="current-password" {...form.register("currentPassword")} />}
      </FormField>
      <FormField id="new-password" label="New password" hint={PASSWORD_HINT} error={errors.newPassword?.message}>
        {(c) => <TextInput {...c} type="password" autoComplete="new-password" maxLength={MAX_PASSWORD_LENGTH} {...form.register("newPassword")} />}
      </FormField>
      <FormField id="confirm-password" label="Repeat the new password" error={errors.confirm?.message}>
        {(c) => <TextInput {...c} type="password" autoComplete="new-password" maxLength={MAX_PASSWORD_LENGTH} {...form.register("confirm")} />}
      </FormField>
      <p className="text-xs text-slate-500">Changing your password signs out your other sessions; this one stays signed in.</p>
      <FormError message={errors.root?.server?.message} />
      <Button type="submit" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </Button>
    </ClientForm>
  );
}
