// The app router: one router per capability, registered here and nowhere else.
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { meRouter } from "./routers/me";
import { platformRouter } from "./routers/platform/tenants";
import { tenantRouter } from "./routers/tenant";
import { membersRouter } from "./routers/members";
import { auditRouter } from "./routers/audit";
import { keysRouter } from "./routers/keys";
import { apiKeysRouter } from "./routers/api-keys";
import { clientsRouter } from "./routers/clients";
import { policiesRouter } from "./routers/policies";
import { rateLimitsRouter } from "./routers/rate-limits";
import { workspacesRouter } from "./routers/workspaces";
import { globalPoliciesRouter } from "./routers/platform/policies";
import { deletionRouter, platformDeletionsRouter } from "./routers/deletion";
import { sessionsRouter } from "./routers/sessions";
import { platformSessionsRouter } from "./routers/platform/sessions";
import { platformAuditRouter } from "./routers/platform/audit";
import { accountRouter } from "./routers/account";
import { invitationsRouter } from "./routers/invitations";
import { platformUsersRouter } from "./routers/platform/users";
import { factorsRouter } from "./routers/factors";
import { platformFactorsRouter } from "./routers/platform/factors";
import { backupRouter } from "./routers/backup";
import { usageRouter } from "./routers/usage";

export const appRouter = createTRPCRouter({
  me: meRouter,
  platform: platformRouter,
  tenant: tenantRouter,
  members: membersRouter,
  audit: auditRouter,
  keys: keysRouter,
  apiKeys: apiKeysRouter,
  clients: clientsRouter,
  policies: policiesRouter,
  rateLimits: rateLimitsRouter,
  workspaces: workspacesRouter,
  globalPolicies: globalPoliciesRouter,
  deletion: deletionRouter,
  platformDeletions: platformDeletionsRouter,
  sessions: sessionsRouter,
  platformSessions: platformSessionsRouter,
  platformAudit: platformAuditRouter,
  account: accountRouter,
  invitations: invitationsRouter,
  platformUsers: platformUsersRouter,
  factors: factorsRouter,
  platformFactors: platformFactorsRouter,
  backup: backupRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side and test calls: `createCaller(createTRPCContext({ session, meta }))`. */
export const createCaller = createCallerFactory(appRouter);
