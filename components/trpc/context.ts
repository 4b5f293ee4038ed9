"use client";
// The typed tRPC hooks (useTRPC for query/mutation options, useTRPCClient for plain calls) and their
// provider. Apart from client.tsx, which mounts the provider with the step-up dialog inside: the
// dialog calls tRPC itself, so it imports these from here rather than from the module mounting it.
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { AppRouter } from "@/server/api/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
