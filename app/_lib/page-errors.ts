// Server Components: what a failed tRPC call means for the page.
//   NOT_FOUND    → the not-found page (a foreign tenant and a missing one look the same)
//   UNAUTHORIZED → the sign-in page, coming back here afterwards (or, while the second-factor gate
//                  is pending, its second step or enrolment page)
//   PRECONDITION_FAILED (tenant pending deletion) → the tenant's overview, which shows why
import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { PENDING_DELETION_MESSAGE } from "@/server/isomorphic/tenancy/pending-deletion";
import { ENROL_PATH, ENROL_SECOND_FACTOR_MESSAGE, VERIFY_PATH, VERIFY_SECOND_FACTOR_MESSAGE } from "@/server/isomorphic/auth/second-factor";

export function signInPath(callbackPath: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

export function handlePageError(e: unknown, callbackPath: string): never {
  if (e instanceof TRPCError) {
    if (e.code === "NOT_FOUND") notFound();
    // The second-factor gate (server/auth/second-factor-gate.ts): the second step, or enrolment first.
    if (e.code === "UNAUTHORIZED" && e.message === VERIFY_SECOND_FACTOR_MESSAGE) redirect(`${VERIFY_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`);
    if (e.code === "UNAUTHORIZED" && e.message === ENROL_SECOND_FACTOR_MESSAGE) redirect(`${ENROL_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`);
    if (e.code === "UNAUTHORIZED") redirect(signInPath(callbackPath));
    // A tenant pending deletion serves only its overview (the pending-deletion page).
    if (e.code === "PRECONDITION_FAILED" && e.message === PENDING_DELETION_MESSAGE) {
      const tenantHome = callbackPath.match(/^\/t\/[^/?#]+/)?.[0];
      if (tenantHome && tenantHome !== callbackPath) redirect(tenantHome);
    }
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
