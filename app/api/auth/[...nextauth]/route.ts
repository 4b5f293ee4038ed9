import { handlers } from "@/server/auth/auth";
import { withSsoOutcome } from "@/server/auth/sso/route";

export const GET = withSsoOutcome(handlers.GET);
export const POST = withSsoOutcome(handlers.POST);
