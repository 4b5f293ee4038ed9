"use client";
// The one and only showing of a new API key (components/show-once-dialog.tsx), with a usage example.
// Mounted only while there is a key to show; "Done" unmounts it and the parent drops the value.
import { useEffect, useState } from "react";
import { CopyField, ShowOnceDialog } from "@/components/show-once-dialog";
import { Notice } from "@/components/ui/notice";
import type { TenantPermission } from "@/server/isomorphic/auth/permissions";

/** A read-only procedure the key's scopes allow, for the usage example. */
const EXAMPLES: ReadonlyArray<[TenantPermission, string]> = [
  ["keys.read", "keys.list"],
  ["audit.read", "audit.list"],
  ["members.read", "members.list"],
  ["clients.read", "clients.list"],
  ["tenant.view", "tenant.overview"],
];

function usageExample(origin: string, tenant: string, scopes: readonly TenantPermission[]): string {
  const procedure = EXAMPLES.find(([scope]) => scopes.includes(scope))?.[1] ?? "tenant.overview";
  const input = encodeURIComponent(JSON.stringify({ json: { tenant } }));
  return `curl -H "Authorization: Bearer $CREDO_API_KEY" \\\n  "${origin}/api/trpc/${procedure}?input=${input}"`;
}

export function NewApiKeyDialog({
  value,
  keyName,
  scopes,
  tenant,
  onDone,
}: {
  value: string;
  keyName: string;
  scopes: readonly TenantPermission[];
  tenant: string;
  onDone: () => void;
}) {
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);

  return (
    <ShowOnceDialog
      title="Copy your API key"
      testId="new-api-key-dialog"
      doneTestId="new-api-key-done"
      onDone={onDone}
      description={
        <>
          <p>
            The key <strong className="font-medium text-slate-900">{keyName}</strong> was created.
          </p>
          <Notice tone="warning" testId="new-api-key-warning">
            <strong className="font-semibold">This is the only time the key is shown. Store it in your secret manager now.</strong>{" "}
            If it is lost, revoke it and create a new one.
          </Notice>
        </>
      }
    >
      <CopyField
        label="API key"
        value={value}
        what="key"
        testId="new-api-key-value"
        copyTestId="new-api-key-copy"
        statusTestId="new-api-key-copy-status"
      />

      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-700">Use it</p>
        <p className="text-xs text-slate-500">
          Send it as a bearer token. Calls act on this tenant only, within the key&apos;s scopes.
        </p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100" data-testid="new-api-key-usage">
          {origin ? usageExample(origin, tenant, scopes) : ""}
        </pre>
      </div>
    </ShowOnceDialog>
  );
}
