// The signed-in operator (re-read from the database): profile and the tenants they may open.
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import { serverCaller } from "@/server/api/server-caller";
import { appCodeOf, handlePageError } from "./page-errors";

export const getProfile = cache(async () => (await serverCaller()).me.profile());
export const getMyTenants = cache(async () => (await serverCaller()).me.tenants());

/**
 * The profile, or null when nobody (or a suspended/unknown user) is signed in. A session still
 * waiting for its second factor (or enrolment) goes there first, then on to `callbackPath`.
 */
export async function getProfileOrNull(callbackPath = "/tenants") {
  try {
    return await getProfile();
  } catch (e) {
    if (e instanceof TRPCError) {
      const code = appCodeOf(e);
      if (code === "SECOND_FACTOR_REQUIRED" || code === "SECOND_FACTOR_ENROLMENT_REQUIRED") handlePageError(e, callbackPath);
    }
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") return null;
    throw e;
  }
}
