"use client";
// Download the backup. Security admins may include the live signing keys' private halves, each
// encrypted (JWE) to a recipient PUBLIC key: the target installation's (shown on its own Backup &
// restore page) or one of their own. No secret key is ever typed into this page.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, inputClasses } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { saveJson } from "./save-json";

export function BackupDownload({ tenant, securityAdmin }: { tenant: string; securityAdmin: boolean }) {
  const trpc = useTRPC();
  const backup = useQuery({ ...trpc.backup.export.queryOptions({ tenant }), enabled: false, gcTime: 0 });
  const download = async () => {
    const r = await backup.refetch();
    if (r.data) saveJson(r.data, `${tenant}-backup.json`);
  };
  return (
    <Section title="Download a backup">
      <div className="space-y-3">
        <Button onClick={() => void download()} disabled={backup.isFetching} data-testid="backup-download">
          {backup.isFetching ? "Preparing…" : "Download backup (JSON)"}
        </Button>
        <p className="text-xs text-slate-500">Signing keys are included as public metadata only: a restore keeps verifying old tokens but signs with its own key.</p>
        {backup.isError ? <Notice tone="error">{errorMessage(backup.error)}</Notice> : null}
        {securityAdmin ? <PrivateKeyExport tenant={tenant} /> : null}
      </div>
    </Section>
  );
}

function PrivateKeyExport({ tenant }: { tenant: string }) {
  const trpc = useTRPC();
  const [recipient, setRecipient] = useState("");
  const [parseError, setParseError] = useState<string | null>(null);
  const own = useQuery({ ...trpc.backup.recipientKey.queryOptions({ tenant }), enabled: false });
  const exportKeys = useMutation(trpc.backup.exportWithPrivateKeys.mutationOptions({ onSuccess: (doc) => saveJson(doc, `${tenant}-backup-with-keys.json`) }));
  const fillOwn = async () => {
    const r = await own.refetch();
    if (r.data) setRecipient(JSON.stringify(r.data));
  };
  const submit = () => {
    setParseError(null);
    let jwk: unknown;
    try {
      jwk = JSON.parse(recipient);
    } catch {
      setParseError("The recipient key is not valid JSON: paste a public JWK.");
      return;
    }
    exportKeys.mutate({ tenant, recipient: jwk as never });
  };
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3">
      <h3 className="text-sm font-semibold text-slate-900">Include private signing keys (security admins)</h3>
      <p className="text-xs text-slate-500">
        Each live key&apos;s private half is encrypted to the recipient public key below (JWE, ECDH-ES+A256KW or RSA-OAEP-256). Paste the
        target installation&apos;s recipient key from its Backup &amp; restore page. Needs a recent verification.
      </p>
      <Field id="recipient-jwk" label="Recipient public key (JWK)">
        <textarea id="recipient-jwk" rows={3} className={`${inputClasses} font-mono text-xs`} value={recipient} onChange={(e) => setRecipient(e.target.value)} data-testid="recipient-jwk" />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => void fillOwn()} disabled={own.isFetching}>
          Use this installation&apos;s key
        </Button>
        <Button variant="secondary" onClick={submit} disabled={!recipient.trim() || exportKeys.isPending} data-testid="backup-download-keys">
          {exportKeys.isPending ? "Preparing…" : "Download backup with private keys"}
        </Button>
      </div>
      {parseError ? <Notice tone="error">{parseError}</Notice> : null}
      {exportKeys.isError ? <Notice tone="error">{errorMessage(exportKeys.error)}</Notice> : null}
    </div>
  );
}
