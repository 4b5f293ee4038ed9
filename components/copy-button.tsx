"use client";
// An icon button copying a value (a key ID, a client_id) to the clipboard; the outcome is announced politely.
import { useEffect, useState } from "react";

type Outcome = "idle" | "copied" | "failed";

export function CopyButton({ value, label, testId = "copy-kid" }: { value: string; label: string; testId?: string }) {
  const [outcome, setOutcome] = useState<Outcome>("idle");

  useEffect(() => {
    if (outcome === "idle") return;
    const t = setTimeout(() => setOutcome("idle"), 2000);
    return () => clearTimeout(t);
  }, [outcome]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setOutcome("copied");
    } catch {
      setOutcome("failed");
    }
  }

  return (
    <>
      <button
        type="button"
        onClick={copy}
        aria-label={label}
        title={label}
        data-testid={testId}
        className="inline-flex shrink-0 items-center justify-center rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
      >
        {outcome === "copied" ? (
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-emerald-600">
            <path
              fillRule="evenodd"
              d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L8 12.58l7.3-7.3a1 1 0 0 1 1.4 0Z"
              clipRule="evenodd"
            />
          </svg>
        ) : (
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-4 w-4">
            <rect x="7" y="7" width="10" height="10" rx="1.5" />
            <path d="M13 7V4.5A1.5 1.5 0 0 0 11.5 3h-7A1.5 1.5 0 0 0 3 4.5v7A1.5 1.5 0 0 0 4.5 13H7" />
          </svg>
        )}
      </button>
      <span role="status" className="sr-only">
        {outcome === "copied" ? "Copied." : outcome === "failed" ? "Could not copy." : ""}
      </span>
    </>
  );
}
