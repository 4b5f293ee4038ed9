"use client";
// The one and only showing of a new credential (an API key, a client secret), in a modal on the
// native <dialog> (as ConfirmDialog). Mounted only while there is something to show; "Done"
// unmounts it and the parent drops the value — it never reaches the query cache, the URL or a log.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./ui/button";

export function ShowOnceDialog({
  title,
  description,
  children,
  onDone,
  testId,
  doneTestId,
}: {
  title: string;
  /** What was created and the "shown once" warning (the dialog's accessible description). */
  description: ReactNode;
  /** The values to copy (CopyField) and anything else to show. */
  children: ReactNode;
  onDone: () => void;
  testId?: string;
  doneTestId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    // Unmounting removes the element, which also closes it: no cleanup (StrictMode re-runs this).
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape must not lose the value by accident: only "Done" closes this dialog.
        e.preventDefault();
      }}
      onClose={onDone}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="space-y-3 text-sm text-slate-700">
          {description}
        </div>
        {children}
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
        <Button onClick={onDone} data-testid={doneTestId}>
          Done
        </Button>
      </div>
    </dialog>
  );
}

type CopyOutcome = "idle" | "copied" | "selected";

/** A read-only, labelled value with a Copy button; without clipboard access the value is selected. */
export function CopyField({
  label,
  value,
  what,
  testId,
  copyTestId,
  statusTestId,
}: {
  label: string;
  value: string;
  /** "key", "secret"…: for "the key is selected, press Ctrl+C". */
  what: string;
  testId?: string;
  copyTestId?: string;
  statusTestId?: string;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const [outcome, setOutcome] = useState<CopyOutcome>("idle");

  useEffect(() => {
    if (outcome !== "copied") return;
    const t = setTimeout(() => setOutcome("idle"), 3000);
    return () => clearTimeout(t);
  }, [outcome]);

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setOutcome("copied");
    } catch {
      // No clipboard access (insecure origin, permission denied): select it for Ctrl+C / ⌘C.
      inputRef.current?.focus();
      inputRef.current?.select();
      setOutcome("selected");
    }
  }

  return (
    <div className="space-y-1">
      <label htmlFor={fieldId} className="block text-sm font-medium text-slate-700">
        {label}
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
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900 shadow-xs focus:border-indigo-500"
        />
        <Button variant="secondary" onClick={copy} data-testid={copyTestId} className="shrink-0" aria-label={`Copy ${label}`}>
          {outcome === "copied" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p aria-live="polite" className="min-h-4 text-xs text-slate-500" data-testid={statusTestId}>
        {outcome === "copied"
          ? "Copied to the clipboard."
          : outcome === "selected"
            ? `Copying is not available here: the ${what} is selected, press Ctrl+C (⌘C on a Mac).`
            : ""}
      </p>
    </div>
  );
}
