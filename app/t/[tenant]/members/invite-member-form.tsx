"use client";
// Owners and security admins: invite someone as owner or as time-limited support. The person joins
// only by accepting the e-mailed invitation. Validated with the procedure's schema (inviteMemberInput);
// the result is a toast, refusals sit beside their field.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Select, TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import { inviteMemberInput, MAX_SUPPORT_GRANT_DAYS } from "@/server/isomorphic/accounts/inputs";

const DEFAULT_SUPPORT_DAYS = 7;
type Values = z.input<typeof inviteMemberInput>;
const FIELDS = ["email", "role", "days"] as const;

export function InviteMemberForm({ tenant, onInvited }: { tenant: string; onInvited: () => Promise<void> }) {
  const trpc = useTRPC();
  const form = useForm<Values, unknown, z.output<typeof inviteMemberInput>>({
    resolver: zodResolver(inviteMemberInput),
    defaultValues: { email: "", role: "support", days: DEFAULT_SUPPORT_DAYS },
    // Owners carry no duration: an unmounted Days field must not be validated or sent.
    shouldUnregister: true,
  });
  const { errors } = form.formState;
  const role = form.watch("role");

  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: async (inv) => {
        toast.success(`Invitation sent to ${inv.email}.`, { testId: "form-success" });
        form.reset({ email: "", role, days: role === "support" ? DEFAULT_SUPPORT_DAYS : undefined });
        await onInvited();
      },
      onError: (e) => applyServerError(form, e, FIELDS),
    }),
  );
  const locked = useTenantLock();

  return (
    <Section title="Invite a member">
      <ClientForm onSubmit={form.handleSubmit((v) => invite.mutate({ tenant, ...v }))} noValidate className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem_7rem]">
          <FormField id="invite-email" label="E-mail" error={errors.email?.message}>
            {(c) => <TextInput {...c} type="email" autoComplete="off" {...form.register("email")} />}
          </FormField>
          <FormField id="invite-role" label="Role" error={errors.role?.message}>
            {(c) => (
              <Select {...c} {...form.register("role")}>
                <option value="support">Support (read-only)</option>
                <option value="owner">Owner</option>
              </Select>
            )}
          </FormField>
          {role === "support" ? (
            <FormField id="invite-days" label="Days" error={errors.days?.message}>
              {(c) => (
                <TextInput
                  {...c}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_SUPPORT_GRANT_DAYS}
                  {...form.register("days", { setValueAs: (v: string | number) => (v === "" || v == null ? undefined : Number(v)) })}
                />
              )}
            </FormField>
          ) : null}
        </div>
        <p className="text-xs text-slate-500">
          {role === "support"
            ? "Support access is read-only (overview and audit trail) and ends automatically; the days count from acceptance."
            : "Owners manage this tenant's configuration and members. Owner access does not expire."}{" "}
          The invitation link is e-mailed, works once and expires.
        </p>
        <FormError message={errors.root?.server?.message} />
        <Button type="submit" disabled={invite.isPending} {...lockedButtonProps(locked)}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </Button>
      </ClientForm>
    </Section>
  );
}
