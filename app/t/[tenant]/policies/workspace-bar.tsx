"use client";
// Which level the page edits: the whole tenant or one workspace (?workspace=<slug>). Owners can
// create workspaces here, and delete one that was never configured (a workspace with policy
// versions keeps its history; see server/policies/workspaces.ts).
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { FormError, FormField } from "@/components/forms/form-field";
import { applyServerError } from "@/components/forms/server-errors";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { createWorkspaceInput } from "@/server/isomorphic/policies/workspace-inputs";

type NewWorkspace = z.input<typeof createWorkspaceInput>;
const EMPTY: NewWorkspace = { slug: "", name: "" };

export function WorkspaceBar({ tenant, workspace, canManage }: { tenant: string; workspace: string | null; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const list = useQuery(trpc.workspaces.list.queryOptions({ tenant }));
  const [creating, setCreating] = useState(false);
  const form = useForm<NewWorkspace, unknown, z.output<typeof createWorkspaceInput>>({ resolver: zodResolver(createWorkspaceInput), defaultValues: EMPTY });
  const { errors } = form.formState;
  const [deleting, setDeleting] = useState(false);

  const go = (ws: string | null) => router.push(ws ? `${pathname}?workspace=${encodeURIComponent(ws)}` : pathname);

  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: async (w) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workspaces.pathKey() });
        setCreating(false);
        form.reset(EMPTY);
        toast.success(`Workspace ${w.name} created.`, { testId: "form-success" });
        go(w.slug);
      },
      onError: (e) => applyServerError(form, e, ["slug", "name"]),
    }),
  );
  const remove = useMutation(
    trpc.workspaces.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.workspaces.pathKey() });
        setDeleting(false);
        go(null);
      },
    }),
  );

  const current = list.data?.find((w) => w.slug === workspace) ?? null;

  return (
    <Card className="p-4">
      <div className="flex flex-wrap items-end gap-3">
        <Field id="policy-level" label="Editing">
          <Select id="policy-level" value={workspace ?? ""} onChange={(e) => go(e.target.value || null)} data-testid="policy-level">
            <option value="">Tenant-wide (every workspace inherits)</option>
            {list.data?.map((w) => (
              <option key={w.id} value={w.slug}>
                Workspace: {w.name} ({w.slug})
              </option>
            ))}
            {workspace && list.data && !current ? <option value={workspace}>Unknown workspace ({workspace})</option> : null}
          </Select>
        </Field>
        {canManage ? (
          <Button variant="secondary" onClick={() => setCreating((c) => !c)} data-testid="workspace-new">
            New workspace
          </Button>
        ) : null}
        {canManage && current ? (
          <Button
            variant="ghost"
            onClick={() => {
              remove.reset();
              setDeleting(true);
            }}
            data-testid="workspace-delete"
          >
            Delete workspace
          </Button>
        ) : null}
      </div>
      <p className="mt-2 text-xs text-slate-500">
        {workspace
          ? "A workspace overrides the tenant for password, session, sign-in risk, lockout, consent and feature-flag settings; the other sections apply tenant-wide."
          : "Workspaces inherit these values unless they override them."}
      </p>

      {creating ? (
        <form
          className="mt-4 flex flex-wrap items-start gap-3 border-t border-slate-100 pt-4"
          noValidate
          onSubmit={form.handleSubmit((v) => create.mutate({ tenant, ...v }))}
        >
          <FormField id="workspace-slug" label="Slug" hint="lowercase letters, digits and hyphens" error={errors.slug?.message}>
            {(c) => <TextInput {...c} autoComplete="off" {...form.register("slug")} />}
          </FormField>
          <FormField id="workspace-name" label="Name" error={errors.name?.message}>
            {(c) => <TextInput {...c} autoComplete="off" {...form.register("name")} />}
          </FormField>
          <Button type="submit" className="mt-6" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create workspace"}
          </Button>
          <div className="w-full">
            <FormError message={errors.root?.server?.message} />
          </div>
        </form>
      ) : null}

      <ConfirmDialog
        open={deleting}
        title={`Delete workspace ${current?.name ?? ""}?`}
        confirmLabel="Delete"
        pending={remove.isPending}
        onCancel={() => setDeleting(false)}
        onConfirm={() => current && remove.mutate({ tenant, workspace: current.slug })}
      >
        <p>
          {current?.policyVersion
            ? "This workspace has policy versions; their history is kept for the audit trail, so it cannot be deleted. Reset its overrides instead."
            : "The workspace has never been configured and is removed."}
        </p>
        {remove.isError ? <Notice tone="error">{errorMessage(remove.error)}</Notice> : null}
      </ConfirmDialog>
    </Card>
  );
}
