// The one list of bench cases, run in this order. Add a case: one file in this folder exporting a
// BenchCase (server/bench/types.ts), then one line here. Case files may import server modules
// statically: the runner imports this list only after pointing DATABASE_URL at the bench database.
import type { BenchCase } from "../types";
import { apiKeyAuthCase } from "./apikey-auth";
import { auditCase } from "./audit";
import { authorizeCheckCase } from "./authorize-check";
import { httpGuardsCase } from "./http-guards";
import { jwksCase } from "./jwks";
import { leastPrivilegeCase } from "./least-privilege";
import { policyResolveCase } from "./policy-resolve";
import { provisioningCase } from "./provisioning";
import { publicCacheCase } from "./public-cache";
import { purgeCase } from "./purge";
import { ratelimitCase } from "./ratelimit";
import { tenantReadCase } from "./tenant-read";
import { operatorSessionCase } from "./operator-session";
import { requestPathCase } from "./request-path";
import { tenantFairnessCase } from "./tenant-fairness";
import { restVsTrpcCase } from "./rest-vs-trpc";

export const CASES: readonly BenchCase[] = [
  provisioningCase,
  tenantReadCase,
  jwksCase,
  apiKeyAuthCase,
  authorizeCheckCase,
  publicCacheCase,
  ratelimitCase,
  policyResolveCase,
  auditCase,
  purgeCase,
  operatorSessionCase,
  httpGuardsCase,
  leastPrivilegeCase,
  requestPathCase,
  tenantFairnessCase,
  restVsTrpcCase,
];
