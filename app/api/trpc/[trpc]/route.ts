// tRPC over HTTP. The context gets the Auth.js session and request metadata; the tenant comes
// later, from each tenant procedure's `tenant` input (the URL path segment), in server/api/trpc.ts.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { auth } from "@/server/auth/auth";
import { requestMetaFrom } from "@/server/http/request-meta";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ session: await auth(), meta: requestMetaFrom(req.headers) }),
  });
}

export { handler as GET, handler as POST };
