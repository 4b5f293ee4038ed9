// The second-factor state of the signed-in user for the verify and enrolment pages (which run
// before the gate is satisfied, so they cannot use getProfile).
import { redirect } from "next/navigation";
import { refusalOf, serverCaller } from "@/server/api/server-caller";
import { signInPath } from "./page-errors";

export async function loadSecondFactorState(callbackPath: string) {
  try {
    return await (await serverCaller()).factors.mine();
  } catch (e) {
    if (refusalOf(e)?.code === "UNAUTHORIZED") redirect(signInPath(callbackPath));
    throw e;
  }
}
