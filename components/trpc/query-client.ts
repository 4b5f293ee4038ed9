// One QueryClient recipe for both sides (create-t3-app's shape): superjson carries Dates etc. from
// the server's prefetch into the browser's cache through HydrationBoundary.
import { QueryClient, defaultShouldDehydrateQuery } from "@tanstack/react-query";
import superjson from "superjson";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // 10 s: data the server just prefetched is not fetched again right after hydration.
      queries: {
        staleTime: 10_000,
        retry: (count, err) => count < 2 && !/UNAUTHORIZED|NOT_FOUND|FORBIDDEN/.test(String((err as { data?: { code?: string } })?.data?.code)),
      },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
