"use client";
// Restore: choose a backup file → dry run (every conflict and warning, nothing changed) → a
// confirmation naming what will be created → the import, in one transaction (all or nothing).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, inputClasses } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { CopyButton } from "@/components/copy-button";
import type { ImportPlan } from "@/server/backup/import";

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 workspaces, 5 policy versions, 3 OAuth clients (…), …" — what the import will create. */
function summary(p: ImportPlan): string {
  const c = p.creates;
  const keys = c.signingKeys.filter((k) => k.privateKey).length;
  return [
    plural(c.workspaces.length, "workspace"),
    plural(c.policyVersions, "policy version"),
    `${plural(c.clients.length, "OAuth client")}${c.clients.length ? ` (${c.clients.slice(0, 5).join(", ")}${c.clients.length > 5 ? ", …" : ""})` : ""}`,
    `${plural(c.signingKeys.length, "signing key")} (${keys} with private key)`,
    plural(c.members.length, "member"),
  ].join(", ");
}

export function BackupRestore({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [fileName, setFileName] = useState<string | null>(null);
  const [doc, setDoc] = useState<unknown>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const dryRun = useMutation(trpc.backup.importDryRun.mutationOptions());
  const restore = useMutation(
    trpc.backup.import.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        router.refresh();
      },
    }),
  );
  const recipient = useQuery(trpc.backup.recipientKey.queryOptions({ tenant }));

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setReadError(null);
    setDoc(null);
    dryRun.reset();
    restore.reset();
    if (!file) return;
    setFileName(file.name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      setReadError(`${file.name} is not a JSON file.`);
      return;
    }
    setDoc(parsed);
    dryRun.mutate({ tenant, document: parsed as never });
  }

  const plan = dryRun.data;
  return (
    <Section title="Restore a backup">
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          Restores only into an empty tenant (no clients, workspaces, policy versions or API keys yet). Members are matched to existing console
          accounts by e-mail; unknown e-mails are listed, not created. Client ids, redirect URIs and signing keys another tenant holds are conflicts.
        </p>
        <Field id="backup-file" label="Backup file (JSON)" hint="A dry run checks it first; nothing changes until you confirm.">
          <input id="backup-file" type="file" accept="application/json,.json" className={inputClasses} onChange={(e) => void choose(e)} data-testid="backup-file" />
        </Field>
        {readError ? <Notice tone="error">{readError}</Notice> : null}
        {dryRun.isPending ? <p className="text-sm text-slate-600">Checking {fileName}…</p> : null}
        {dryRun.isError ? <Notice tone="error" testId="dry-run-error">{errorMessage(dryRun.error)}</Notice> : null}
        {plan ? (
          <div className="space-y-3" data-testid="dry-run-report">
            {plan.ok ? (
              <Notice testId="dry-run-ok">No conflicts. The import will create {summary(plan)}.</Notice>
            ) : (
              <Notice tone="error" testId="dry-run-conflicts">
                {plural(plan.conflicts.length, "conflict")}: fix them (or restore into another tenant) before importing.
              </Notice>
            )}
            {plan.conflicts.length ? (
              <div>
                <h3 className="text-sm font-semibold text-slate-900">Conflicts</h3>
                <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="conflicts">
                  {plan.conflicts.map((c, i) => (
                    <li key={i} data-kind={c.kind}>
                      {c.message}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {plan.warnings.length ? (
              <div>
                <h3 className="text-sm font-semibold text-slate-900">Warnings</h3>
                <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700" data-testid="warnings">
                  {plan.warnings.map((w, i) => (
                    <li key={i}>{w.message}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            {plan.ok && !restore.isSuccess ? (
              <Button onClick={() => setConfirming(true)} data-testid="backup-import">
                Import…
              </Button>
            ) : null}
          </div>
        ) : null}
        {restore.isSuccess ? <Notice testId="import-done">Imported: {summary(restore.data)}.</Notice> : null}
        {restore.isError && !confirming ? <Notice tone="error">{errorMessage(restore.error)}</Notice> : null}
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer font-medium text-slate-700">This installation&apos;s recipient key (for private signing keys)</summary>
          <p className="mt-2 text-xs">
            To move signing keys with their private halves here, give this public key to the security admin exporting the backup. Only this
            installation can decrypt what is encrypted to it.
          </p>
          {recipient.data ? (
            <div className="mt-2 flex items-start gap-2">
              <code className="block break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-800" data-testid="recipient-key">
                {JSON.stringify(recipient.data)}
              </code>
              <CopyButton value={JSON.stringify(recipient.data)} label="Copy recipient key" testId="copy-recipient-key" />
            </div>
          ) : null}
        </details>
      </div>
      <ConfirmDialog
        open={confirming && plan !== undefined && doc !== null}
        title="Import this backup?"
        confirmLabel="Import"
        tone="primary"
        pending={restore.isPending}
        onConfirm={() => restore.mutate({ tenant, document: doc as never })}
        onCancel={() => setConfirming(false)}
      >
        <p>This creates {plan ? summary(plan) : ""} in {tenant}, in one step: if anything fails, nothing is imported.</p>
        {plan?.creates.revokesOwnKeys.length ? <p className="mt-2">This tenant&apos;s own signing key is revoked: the restored keys take over.</p> : null}
        {restore.isError ? <Notice tone="error" className="mt-2">{errorMessage(restore.error)}</Notice> : null}
      </ConfirmDialog>
    </Section>
  );
}
