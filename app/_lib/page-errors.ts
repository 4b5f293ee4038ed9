// Server Components: what a failed tRPC call means for the page.
//   NOT_FOUND    → the not-found page (a foreign tenant and a missing one look the same)
//   UNAUTHORIZED → the sign-in page, coming back here afterwards
import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";

export function signInPath(callbackPath: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

export function handlePageError(e: unknown, callbackPath: string): never {
  if (e instanceof TRPCError) {
    if (e.code === "NOT_FOUND") notFound();
    if (e.code === "UNAUTHORIZED") redirect(signInPath(callbackPath));
  }
  throw e;
}

/** Runs a server-side tRPC call, turning NOT_FOUND / UNAUTHORIZED into navigation. */
export async function load<T>(call: () => Promise<T>, callbackPath: string): Promise<T> {
  try {
    return await call();
  } catch (e) {
    handlePageError(e, callbackPath);
  }
}
