// Server Components: what a failed tRPC call means for the page, read from its stable code
// (server/isomorphic/errors.ts), never from its message:
//   NOT_FOUND    → the not-found page (a foreign tenant and a missing one look the same)
//   SECOND_FACTOR_REQUIRED / SECOND_FACTOR_ENROLMENT_REQUIRED → the second step or enrolment page,
//                  coming back here afterwards
//   UNAUTHORIZED → the sign-in page, coming back here afterwards
//   TENANT_PENDING_DELETION → the tenant's overview, which shows why
import { notFound, redirect } from "next/navigation";
import { refusalOf } from "@/server/api/server-caller";
import { ENROL_PATH, VERIFY_PATH } from "@/server/isomorphic/auth/second-factor";

export function signInPath(callbackPath: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

export function handlePageError(e: unknown, callbackPath: string): never {
  const refusal = refusalOf(e);
  if (refusal) {
    const code = refusal.appCode;
    if (refusal.code === "NOT_FOUND") notFound();
    // The second-factor gate (server/auth/second-factor-gate.ts): the second step, or enrolment first.
    if (code === "SECOND_FACTOR_REQUIRED") redirect(`${VERIFY_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`);
    if (code === "SECOND_FACTOR_ENROLMENT_REQUIRED") redirect(`${ENROL_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`);
    if (refusal.code === "UNAUTHORIZED") redirect(signInPath(callbackPath));
    // A tenant pending deletion serves only its overview (the pending-deletion page).
    if (code === "TENANT_PENDING_DELETION") {
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
