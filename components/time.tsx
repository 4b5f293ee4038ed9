"use client";
// A point in time as people read it: "3 min ago" with the exact local time on hover (title) and in
// dateTime for machines. The server (and the first browser render, so hydration matches) shows the
// absolute UTC time; after hydration it turns relative and re-renders each minute.
import { useEffect, useState } from "react";
import { formatDateTime, formatLocal, formatRelative, isoString } from "./format";
import { useHydrated } from "./use-hydrated";

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function RelativeTime({
  at,
  className,
  testId,
}: {
  at: Date | string | number;
  className?: string;
  testId?: string;
}) {
  const hydrated = useHydrated();
  const now = useNow(60_000);
  return (
    <time
      dateTime={isoString(at)}
      title={hydrated ? formatLocal(at) : formatDateTime(at)}
      className={className}
      data-testid={testId}
    >
      {hydrated ? formatRelative(at, now) : formatDateTime(at)}
    </time>
  );
}
