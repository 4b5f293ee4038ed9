"use client";
// Browser side of tRPC: one QueryClient per tab, the typed options proxy for useQuery/useMutation.
import { QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCLink } from "@trpc/client";
import { observable } from "@trpc/server/observable";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { StepUpDialog } from "../mfa/step-up-dialog";
import { isStepUpRefusal, requestStepUp } from "../mfa/step-up-store";
import { TRPCProvider } from "./context";
import { makeQueryClient } from "./query-client";

// The hooks every page and component imports from here (they live in ./context).
export { useTRPC, useTRPCClient } from "./context";

/**
 * Step-up in ONE place: a mutation refused for want of a recent verification opens the step-up
 * dialog, and after the user confirms it's them the same mutation is sent again (once).
 */
const stepUpLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    let sub = next(op).subscribe({
      next: (v) => observer.next(v),
      complete: () => observer.complete(),
      error: (err) => {
        if (op.type !== "mutation" || op.path === "factors.stepUp" || !isStepUpRefusal(err)) return observer.error(err);
        void requestStepUp().then((ok) => {
          if (!ok) return observer.error(err);
          sub = next(op).subscribe(observer);
        });
      },
    });
    return () => sub.unsubscribe();
  });

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  // maxItems: the server refuses batches over 10 calls (MAX_BATCH_CALLS in server/api/http.ts).
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        stepUpLink,
        // A backup import sends a whole document: alone in its request, so the server's larger body
        // limit for it applies (server/api/http.ts), never batched with other calls.
        splitLink({
          condition: (op) => op.path === "backup.importDryRun" || op.path === "backup.import",
          true: httpLink({ url: "/api/trpc", transformer: superjson }),
          false: httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: 10 }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
        <StepUpDialog />
      </TRPCProvider>
    </QueryClientProvider>
  );
}
