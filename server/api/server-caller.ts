// tRPC from React Server Components: the same router and context as over HTTP, called in-process.
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "./root";
import { createTRPCContext } from "./trpc";
import { auth } from "../auth/auth";
import { requestMetaFrom } from "../http/request-meta";
import { AppError, type AppErrorCode } from "../isomorphic/errors";

export const serverCaller = cache(async () => {
  const h = await headers();
  return createCaller(createTRPCContext({ session: await auth(), meta: requestMetaFrom(h) }));
});

/** What a refused server-side call tells a page: tRPC's code, the stable application code, the message. */
export interface CallRefusal {
  readonly code: TRPC_ERROR_CODE_KEY;
  readonly appCode: AppErrorCode | undefined;
  readonly message: string;
}

/**
 * The refusal behind a failed `serverCaller()` call, or null when `e` is not one (a bug or a
 * navigation signal: rethrow it). Pages branch on these codes, never on TRPCError or message text:
 * the tRPC error type stays inside server/api/ (eslint.config.mjs).
 */
export function refusalOf(e: unknown): CallRefusal | null {
  if (!(e instanceof TRPCError)) return null;
  return { code: e.code, appCode: e.cause instanceof AppError ? e.cause.code : undefined, message: e.message };
}
