// The signed-in operator (re-read from the database): profile and the tenants they may open.
import { cache } from "react";
import { refusalOf, serverCaller } from "@/server/api/server-caller";
import { handlePageError } from "./page-errors";

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
    const refusal = refusalOf(e);
    if (refusal?.appCode === "SECOND_FACTOR_REQUIRED" || refusal?.appCode === "SECOND_FACTOR_ENROLMENT_REQUIRED") handlePageError(e, callbackPath);
    if (refusal?.code === "UNAUTHORIZED") return null;
    throw e;
  }
}
