// tRPC from React Server Components: the same router and context as over HTTP, called in-process.
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "./root";
import { createTRPCContext } from "./trpc";
import { auth } from "../auth/auth";
import { requestMetaFrom } from "../http/request-meta";

export const serverCaller = cache(async () => {
  const h = await headers();
  return createCaller(createTRPCContext({ session: await auth(), meta: requestMetaFrom(h) }));
});
