"use client";
// The one and only showing of a new API key, in a modal on the native <dialog> (as ConfirmDialog).
// Mounted only while there is a key to show; "Done" unmounts it and the parent drops the value.
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { TenantPermission } from "@/server/auth/permissions";

type CopyOutcome = "idle" | "copied" | "selected";

/** A read-only procedure the key's scopes allow, for the usage example. */
const EXAMPLES: ReadonlyArray<[TenantPermission, string]> = [
  ["keys.read", "keys.list"],
  ["audit.read", "audit.list"],
  ["members.read", "members.list"],
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
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const fieldId = useId();
  const [outcome, setOutcome] = useState<CopyOutcome>("idle");
  const [origin, setOrigin] = useState("");

  useEffect(() => {
    setOrigin(window.location.origin);
    const dialog = ref.current;
    // Unmounting removes the element, which also closes it: no cleanup (StrictMode re-runs this).
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    if (outcome !== "copied") return;
    const t = setTimeout(() => setOutcome("idle"), 3000);
    return () => clearTimeout(t);
  }, [outcome]);

  function selectKey() {
    inputRef.current?.focus();
    inputRef.current?.select();
  }

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setOutcome("copied");
    } catch {
      // No clipboard access (insecure origin, permission denied): select it for Ctrl+C / ⌘C.
      selectKey();
      setOutcome("selected");
    }
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid="new-api-key-dialog"
      onCancel={(e) => {
        // Escape must not lose the key by accident: only "Done" closes this dialog.
        e.preventDefault();
      }}
      onClose={onDone}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          Copy your API key
        </h2>
        <div id={bodyId} className="space-y-3 text-sm text-slate-700">
          <p>
            The key <strong className="font-medium text-slate-900">{keyName}</strong> was created.
          </p>
          <Notice tone="warning" testId="new-api-key-warning">
            <strong className="font-semibold">This is the only time the key is shown. Store it in your secret manager now.</strong>{" "}
            If it is lost, revoke it and create a new one.
          </Notice>
        </div>

        <div className="space-y-1">
          <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
            API key
          </label>
          <div className="flex gap-2">
            <input
              ref={inputRef}
              id={fieldId}
              type="text"
              readOnly
              value={value}
              spellCheck={false}
              autoComplete="off"
              data-testid="new-api-key-value"
              onFocus={(e) => e.currentTarget.select()}
              className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900 shadow-xs focus:border-indigo-500"
            />
            <Button variant="secondary" onClick={copy} data-testid="new-api-key-copy" className="shrink-0">
              {outcome === "copied" ? "Copied" : "Copy"}
            </Button>
          </div>
          <p aria-live="polite" className="min-h-4 text-xs text-slate-500" data-testid="new-api-key-copy-status">
            {outcome === "copied"
              ? "Copied to the clipboard."
              : outcome === "selected"
                ? "Copying is not available here: the key is selected, press Ctrl+C (⌘C on a Mac)."
                : ""}
          </p>
        </div>

        <div className="space-y-1">
          <p className="text-sm font-medium text-slate-700">Use it</p>
          <p className="text-xs text-slate-500">
            Send it as a bearer token. Calls act on this tenant only, within the key&apos;s scopes.
          </p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100" data-testid="new-api-key-usage">
            {origin ? usageExample(origin, tenant, scopes) : ""}
          </pre>
        </div>
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
        <Button onClick={onDone} data-testid="new-api-key-done">
          Done
        </Button>
      </div>
    </dialog>
  );
}
