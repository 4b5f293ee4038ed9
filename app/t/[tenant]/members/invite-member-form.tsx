"use client";
// Owners and security admins: invite someone as owner or as time-limited support. The person joins
// only by accepting the e-mailed invitation.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

const DEFAULT_SUPPORT_DAYS = 7;

export function InviteMemberForm({ tenant, onInvited }: { tenant: string; onInvited: () => Promise<void> }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"owner" | "support">("support");
  const [days, setDays] = useState(String(DEFAULT_SUPPORT_DAYS));
  const [sent, setSent] = useState<string | null>(null);

  const invite = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: async (inv) => {
        setSent(inv.email);
        setEmail("");
        await onInvited();
      },
    }),
  );
  const bad = invite.isError ? invalidFields(invite.error) : new Set<string>();
  const locked = useTenantLock();
  // An answer belongs to the attempt it answered: editing a field, or a new attempt the browser
  // refuses (required, min/max), clears it — never an old error beside a new one.
  const clearAnswer = () => {
    if (invite.isError || sent) {
      invite.reset();
      setSent(null);
    }
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    invite.reset();
    setSent(null);
    invite.mutate({ tenant, email: email.trim(), role, days: role === "support" ? Number(days) : undefined });
  }

  return (
    <Section title="Invite a member">
      <form onSubmit={submit} onInvalidCapture={clearAnswer} onChangeCapture={clearAnswer} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem_7rem]">
          <Field id="invite-email" label="E-mail">
            <TextInput id="invite-email" name="email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={bad.has("email") || undefined} />
          </Field>
          <Field id="invite-role" label="Role">
            <Select id="invite-role" name="role" value={role} onChange={(e) => setRole(e.target.value === "owner" ? "owner" : "support")}>
              <option value="support">Support (read-only)</option>
              <option value="owner">Owner</option>
            </Select>
          </Field>
          {role === "support" ? (
            <Field id="invite-days" label="Days">
              <TextInput id="invite-days" name="days" type="number" inputMode="numeric" min={1} max={90} required value={days} onChange={(e) => setDays(e.target.value)} aria-invalid={bad.has("days") || undefined} />
            </Field>
          ) : null}
        </div>
        <p className="text-xs text-slate-500">
          {role === "support"
            ? "Support access is read-only (overview and audit trail) and ends automatically; the days count from acceptance."
            : "Owners manage this tenant's configuration and members. Owner access does not expire."}{" "}
          The invitation link is e-mailed, works once and expires.
        </p>
        {invite.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(invite.error)}
          </Notice>
        ) : null}
        {sent && !invite.isError ? (
          <Notice tone="info" testId="form-success">
            Invitation sent to {sent}.
          </Notice>
        ) : null}
        <Button type="submit" disabled={invite.isPending} {...lockedButtonProps(locked)}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </Button>
      </form>
    </Section>
  );
}
