// The app router: one router per capability, registered here and nowhere else. Tenant and user
// routers at the top level; every security-admin router under `platform` (routers/platform/<name>.ts).
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { meRouter } from "./routers/me";
import { tenantRouter } from "./routers/tenant";
import { membersRouter } from "./routers/members";
import { auditRouter } from "./routers/audit";
import { keysRouter } from "./routers/keys";
import { apiKeysRouter } from "./routers/api-keys";
import { clientsRouter } from "./routers/clients";
import { policiesRouter } from "./routers/policies";
import { rateLimitsRouter } from "./routers/rate-limits";
import { workspacesRouter } from "./routers/workspaces";
import { deletionRouter } from "./routers/deletion";
import { sessionsRouter } from "./routers/sessions";
import { accountRouter } from "./routers/account";
import { invitationsRouter } from "./routers/invitations";
import { factorsRouter } from "./routers/factors";
import { backupRouter } from "./routers/backup";
import { usageRouter } from "./routers/usage";
import { platformAuditRouter } from "./routers/platform/audit";
import { platformDeletionsRouter } from "./routers/platform/deletions";
import { platformFactorsRouter } from "./routers/platform/factors";
import { platformPoliciesRouter } from "./routers/platform/policies";
import { platformSessionsRouter } from "./routers/platform/sessions";
import { platformTenantsRouter } from "./routers/platform/tenants";
import { platformUsersRouter } from "./routers/platform/users";

export const appRouter = createTRPCRouter({
  me: meRouter,
  tenant: tenantRouter,
  members: membersRouter,
  audit: auditRouter,
  keys: keysRouter,
  apiKeys: apiKeysRouter,
  clients: clientsRouter,
  policies: policiesRouter,
  rateLimits: rateLimitsRouter,
  workspaces: workspacesRouter,
  deletion: deletionRouter,
  sessions: sessionsRouter,
  account: accountRouter,
  invitations: invitationsRouter,
  factors: factorsRouter,
  backup: backupRouter,
  usage: usageRouter,
  platform: createTRPCRouter({
    tenants: platformTenantsRouter,
    audit: platformAuditRouter,
    policies: platformPoliciesRouter,
    deletions: platformDeletionsRouter,
    users: platformUsersRouter,
    sessions: platformSessionsRouter,
    factors: platformFactorsRouter,
  }),
});

export type AppRouter = typeof appRouter;

/** Server-side and test calls: `createCaller(createTRPCContext({ session, meta }))`. */
export const createCaller = createCallerFactory(appRouter);
