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

/** A list's failure, where the list (or above its table) would be. */
export function ListError({ error }: { error: unknown }) {
  return (
    <Notice tone="error" testId="list-error">
      {errorMessage(error)}
    </Notice>
  );
}

type ListQuery = Pick<UseQueryResult<unknown, unknown>, "isPending" | "isError" | "error" | "isFetching" | "isPlaceholderData">;

/**
 * What a list shows before it has any rows: a skeleton while the first page loads, its error if that
 * failed. Panels render it in place of the list while `query.data` is still undefined.
 */
export function FirstLoad({ query, label }: { query: ListQuery; label: string }) {
  if (query.isPending) return <LoadingSkeleton label={label} />;
  if (query.isError) return <ListError error={query.error} />;
  return null;
}

/**
 * A paged DataTable's loading and error props once it has rows: the previous page stays visible
 * (placeholderData) and dims while the next loads; a failure shows above the rows it could not replace.
 */
export function pagedTableState(query: ListQuery): { isLoading: boolean; error: ReactNode | undefined } {
  return {
    isLoading: query.isPending || (query.isFetching && query.isPlaceholderData),
    error: query.isError ? <ListError error={query.error} /> : undefined,
  };
}
