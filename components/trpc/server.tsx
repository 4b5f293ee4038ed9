// Server components prefetch tRPC queries into a per-request QueryClient and hand the results to the
// browser's cache (HydrationBoundary), so a page renders with its data instead of load-then-spin.
// The same router and context as over HTTP (server/api/server-caller.ts), called in-process.
import { dehydrate, HydrationBoundary, type FetchQueryOptions } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { auth } from "@/server/auth/auth";
import { requestMetaFrom } from "@/server/http/request-meta";
import { makeQueryClient } from "./query-client";

export const getQueryClient = cache(makeQueryClient);

export const trpcServer = createTRPCOptionsProxy({
  ctx: async () => createTRPCContext({ session: await auth(), meta: requestMetaFrom(await headers()) }),
  router: appRouter,
  queryClient: getQueryClient,
});

/**
 * Fetches the given queries (errors are left for the client to show: a failed prefetch is not
 * dehydrated) and renders children with the results in the browser's cache.
 */
export async function Prefetched({
  queries,
  children,
}: {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any tRPC queryOptions(...) result
  queries: FetchQueryOptions<any, any, any, any>[];
  children: ReactNode;
}) {
  const queryClient = getQueryClient();
  await Promise.all(queries.map((q) => queryClient.prefetchQuery(q)));
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
