"use client";
// Security admins: all tenants, searchable, paged by slug (keyset "after").
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { TenantRow } from "./tenant-row";
import { LoadingSkeleton } from "@/components/query-state";

const PAGE_SIZE = 25;

export function AdminTenantList() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [input, setInput] = useState("");
  const [search, setSearch] = useState("");

  useEffect(() => {
    const t = setTimeout(() => setSearch(input.trim()), 250);
    return () => clearTimeout(t);
  }, [input]);

  const query = useInfiniteQuery({
    queryKey: [...trpc.platform.listTenants.queryKey(), "pages", { search }],
    queryFn: ({ pageParam }) => client.platform.listTenants.query({ search: search || undefined, after: pageParam, limit: PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextAfter,
    placeholderData: keepPreviousData,
  });

  const items = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="all-tenants" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="all-tenants" className="text-base font-semibold text-slate-900">
          All tenants
        </h2>
        <form role="search" className="w-full sm:w-72" onSubmit={(e) => { e.preventDefault(); setSearch(input.trim()); }}>
          <label htmlFor="tenant-search" className="sr-only">
            Search tenants
          </label>
          <TextInput id="tenant-search" type="search" placeholder="Search by slug or name" value={input} onChange={(e) => setInput(e.target.value)} maxLength={100} />
        </form>
      </div>

      {query.isError ? (
        <Notice tone="error" testId="list-error">
          {errorMessage(query.error)}
        </Notice>
      ) : null}

      <Card aria-busy={query.isFetching}>
        {query.isPending ? (
          <LoadingSkeleton label="Loading tenants…" />
        ) : items.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-slate-600" data-testid="tenants-empty">
            {search ? `No tenant matches “${search}”.` : "No tenants yet. Create the first one."}
          </p>
        ) : (
          <ul className="divide-y divide-slate-200" aria-label="Tenants">
            {items.map((t) => (
              <TenantRow key={t.id} slug={t.slug} name={t.name} status={t.status} paused={t.pausedAt !== null} role="security_admin" />
            ))}
          </ul>
        )}
      </Card>

      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
