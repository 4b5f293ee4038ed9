import type { ReactNode } from "react";

const tones = {
  info: "border-indigo-200 bg-indigo-50 text-indigo-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-800",
} as const;

/**
 * A message box. role="status" (polite) on purpose: Next's route announcer already owns role="alert".
 */
export function Notice({
  tone = "info",
  children,
  testId,
  className = "",
}: {
  tone?: keyof typeof tones;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <div role="status" data-testid={testId} className={`rounded-md border px-3 py-2 text-sm ${tones[tone]} ${className}`}>
      {children}
    </div>
  );
}
