"use client";
// Owners and security admins: add an owner or grant time-limited support access.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

const DEFAULT_SUPPORT_DAYS = 7;

export function AddMemberForm({ tenant, onAdded }: { tenant: string; onAdded: () => Promise<void> }) {
  const trpc = useTRPC();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"owner" | "support">("support");
  const [days, setDays] = useState(String(DEFAULT_SUPPORT_DAYS));
  const [added, setAdded] = useState<string | null>(null);

  const add = useMutation(
    trpc.members.add.mutationOptions({
      onSuccess: async (m) => {
        setAdded(m.user.email);
        setEmail("");
        await onAdded();
      },
    }),
  );
  const bad = add.isError ? invalidFields(add.error) : new Set<string>();

  function submit(e: FormEvent) {
    e.preventDefault();
    setAdded(null);
    add.mutate({
      tenant,
      email: email.trim(),
      role,
      days: role === "support" ? Number(days) : undefined,
    });
  }

  return (
    <Section title="Add member">
      <form onSubmit={submit} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem_7rem]">
          <Field id="member-email" label="E-mail">
            <TextInput
              id="member-email"
              name="email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={bad.has("email") || undefined}
            />
          </Field>
          <Field id="member-role" label="Role">
            <Select id="member-role" name="role" value={role} onChange={(e) => setRole(e.target.value === "owner" ? "owner" : "support")}>
              <option value="support">Support (read-only)</option>
              <option value="owner">Owner</option>
            </Select>
          </Field>
          {role === "support" ? (
            <Field id="member-days" label="Days">
              <TextInput
                id="member-days"
                name="days"
                type="number"
                inputMode="numeric"
                min={1}
                max={90}
                required
                value={days}
                onChange={(e) => setDays(e.target.value)}
                aria-invalid={bad.has("days") || undefined}
              />
            </Field>
          ) : null}
        </div>
        <p className="text-xs text-slate-500">
          {role === "support"
            ? "Support access is read-only (overview and audit trail) and ends automatically."
            : "Owners manage this tenant's configuration and members. Owner access does not expire."}
        </p>
        {add.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(add.error)}
          </Notice>
        ) : null}
        {added && !add.isError ? (
          <Notice tone="info" testId="form-success">
            Added {added}.
          </Notice>
        ) : null}
        <Button type="submit" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add member"}
        </Button>
      </form>
    </Section>
  );
}
