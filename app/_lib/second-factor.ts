// The second-factor state of the signed-in user for the verify and enrolment pages (which run
// before the gate is satisfied, so they cannot use getProfile).
import { TRPCError } from "@trpc/server";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { signInPath } from "./page-errors";

export async function loadSecondFactorState(callbackPath: string) {
  try {
    return await (await serverCaller()).factors.mine();
  } catch (e) {
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") redirect(signInPath(callbackPath));
    throw e;
  }
}
