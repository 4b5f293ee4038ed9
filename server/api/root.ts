// The app router: one router per capability, registered here and nowhere else.
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { meRouter } from "./routers/me";
import { platformRouter } from "./routers/platform";
import { tenantRouter } from "./routers/tenant";
import { membersRouter } from "./routers/members";
import { auditRouter } from "./routers/audit";

export const appRouter = createTRPCRouter({
  me: meRouter,
  platform: platformRouter,
  tenant: tenantRouter,
  members: membersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side and test calls: `createCaller(createTRPCContext({ session, meta }))`. */
export const createCaller = createCallerFactory(appRouter);
