// tRPC over HTTP (browser sessions and API keys): server/api/http.ts decides who is calling; the
// tenant comes later, from each tenant procedure's `tenant` input (the URL path segment).
import { handleTrpcRequest } from "@/server/api/http";
import { auth } from "@/server/auth/auth";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return handleTrpcRequest(req, auth);
}

export { handler as GET, handler as POST };
