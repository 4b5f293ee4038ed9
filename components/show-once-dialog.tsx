"use client";
// The one and only showing of a new credential (an API key, a client secret), in a Radix modal. Mounted
// only while there is something to show; "Done" unmounts it and the parent drops the value — it never
// reaches the query cache, the URL or a log. Escape and clicks outside do nothing: only "Done" closes it.
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "./ui/dialog";

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
  return (
    <Dialog open>
      <DialogContent
        showCloseButton={false}
        data-testid={testId}
        className="w-[min(40rem,calc(100vw-2rem))] gap-0 p-0 sm:max-w-none"
        onEscapeKeyDown={(e) => e.preventDefault()}
        onInteractOutside={(e) => e.preventDefault()}
      >
        <div className="space-y-4 p-5">
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
          </DialogHeader>
          <DialogDescription asChild>
            <div className="space-y-3 text-sm text-slate-700">{description}</div>
          </DialogDescription>
          {children}
        </div>
        <DialogFooter className="border-t border-slate-200 bg-slate-50 px-5 py-3">
          <Button onClick={onDone} data-testid={doneTestId}>
            Done
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
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
