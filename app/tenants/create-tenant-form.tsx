"use client";
// Security admins: provision a tenant; server validation errors are shown next to the form.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const [ownerEmail, setOwnerEmail] = useState("");

  const create = useMutation(
    trpc.platform.createTenant.mutationOptions({
      onSuccess: (t) => router.push(`/t/${encodeURIComponent(t.slug)}`),
    }),
  );
  const bad = create.isError ? invalidFields(create.error) : new Set<string>();

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ slug: slug.trim(), name: name.trim(), ownerEmail: ownerEmail.trim() || undefined });
  }

  return (
    <Section title="Create tenant" className="h-fit">
      <form onSubmit={submit} className="space-y-4" aria-describedby={create.isError ? "create-tenant-error" : undefined}>
        <Field id="new-slug" label="Slug" hint="Lowercase letters, digits and hyphens; used in URLs.">
          <TextInput
            id="new-slug"
            name="slug"
            required
            autoComplete="off"
            spellCheck={false}
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            aria-invalid={bad.has("slug") || undefined}
            aria-describedby="new-slug-hint"
          />
        </Field>
        <Field id="new-name" label="Name">
          <TextInput id="new-name" name="name" required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={bad.has("name") || undefined} />
        </Field>
        <Field id="new-owner" label="Owner e-mail (optional)" hint="They are e-mailed an invitation and become the first owner by accepting it.">
          <TextInput
            id="new-owner"
            name="ownerEmail"
            type="email"
            value={ownerEmail}
            onChange={(e) => setOwnerEmail(e.target.value)}
            aria-invalid={bad.has("ownerEmail") || undefined}
            aria-describedby="new-owner-hint"
          />
        </Field>
        {create.isError ? (
          <div id="create-tenant-error">
            <Notice tone="error" testId="form-error">
              {errorMessage(create.error)}
            </Notice>
          </div>
        ) : null}
        <Button type="submit" className="w-full" disabled={create.isPending || create.isSuccess}>
          {create.isPending ? "Creating…" : "Create tenant"}
        </Button>
      </form>
    </Section>
  );
}
