"use client";
// One way to show a query that is loading, failed or came back empty, instead of a hand-written
// "Loading …" per list. Loading is a skeleton (announced to screen readers by its label); an error
// says what failed and offers a retry.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "./trpc/error-message";
import { Button } from "./ui/button";
import { Notice } from "./ui/notice";
import { Skeleton } from "./ui/skeleton";

export function LoadingSkeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-label={label} aria-busy="true" className="space-y-2" data-testid="query-loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function QueryState<T>({
  query,
  what,
  isEmpty,
  empty,
  rows,
  children,
}: {
  query: Pick<UseQueryResult<T, unknown>, "data" | "error" | "isPending" | "isError" | "refetch" | "isRefetching">;
  /** "API keys": for "Loading API keys…" and "Could not load API keys". */
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  rows?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingSkeleton label={`Loading ${what}…`} rows={rows} />;
  if (query.isError || query.data === undefined) {
    return (
      <Notice tone="error" testId="query-error">
        <span>
          Could not load {what}: {errorMessage(query.error)}
        </span>{" "}
        <Button variant="link" size="sm" className="h-auto px-0" onClick={() => void query.refetch()} disabled={query.isRefetching}>
          Try again
        </Button>
      </Notice>
    );
  }
  if (isEmpty?.(query.data) && empty !== undefined) {
    return (
      <p className="text-sm text-slate-600" data-testid="query-empty">
        {empty}
      </p>
    );
  }
  return <>{children(query.data)}</>;
}
