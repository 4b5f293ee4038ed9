"use client";
// Security admins: provision a tenant. The form validates with the procedure's own schema
// (provisionTenantInput); server refusals land beside their field by input key (e.g. a taken slug).
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
import { Section } from "@/components/ui/card";
import { TextInput } from "@/components/ui/field";
import { ClientForm } from "@/components/forms/client-form";
import { provisionTenantInput } from "@/server/isomorphic/tenancy/inputs";

type Values = z.input<typeof provisionTenantInput>;
const FIELDS = ["slug", "name", "ownerEmail"] as const;

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm<Values, unknown, z.output<typeof provisionTenantInput>>({
    resolver: zodResolver(provisionTenantInput),
    defaultValues: { slug: "", name: "", ownerEmail: undefined },
  });
  const { errors } = form.formState;

  const create = useMutation(
    trpc.platform.tenants.create.mutationOptions({
      onSuccess: (t) => {
        toast.success(t.ownerInvited ? `Tenant ${t.name} created; the owner was invited.` : `Tenant ${t.name} created.`);
        router.push(`/t/${encodeURIComponent(t.slug)}`);
      },
      onError: (e) => applyServerError(form, e, FIELDS),
    }),
  );

  return (
    <Section title="Create tenant" className="h-fit">
      <ClientForm onSubmit={form.handleSubmit((v) => create.mutate(v))} noValidate className="space-y-4">
        <FormField id="new-slug" label="Slug" hint="Lowercase letters, digits and hyphens; used in URLs." error={errors.slug?.message}>
          {(c) => <TextInput {...c} autoComplete="off" spellCheck={false} {...form.register("slug")} />}
        </FormField>
        <FormField id="new-name" label="Name" error={errors.name?.message}>
          {(c) => <TextInput {...c} {...form.register("name")} />}
        </FormField>
        <FormField
          id="new-owner"
          label="Owner e-mail (optional)"
          hint="They are e-mailed an invitation and become the first owner by accepting it."
          error={errors.ownerEmail?.message}
        >
          {(c) => (
            <TextInput {...c} type="email" {...form.register("ownerEmail", { setValueAs: (v: string) => (v?.trim() ? v : undefined) })} />
          )}
        </FormField>
        <FormError message={errors.root?.server?.message} />
        <Button type="submit" className="w-full" disabled={create.isPending || create.isSuccess}>
          {create.isPending ? "Creating…" : "Create tenant"}
        </Button>
      </ClientForm>
    </Section>
  );
}
