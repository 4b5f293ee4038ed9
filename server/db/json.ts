// The JSON value type the database's JSON columns take, for modules that build such values (audit
// records, backup import) without access to queries: they import this, not the Prisma client
// (eslint.config.mjs keeps Prisma in server/db/ and repositories).
import type { Prisma } from "./generated/client";

export type DbJsonInput = Prisma.InputJsonValue;
