// `npm start` on a real database refuses a connection that could do more than the runtime needs
// (README "Database roles"): a superuser or BYPASSRLS role ignores every RLS policy, and the tables'
// owner (or a member of it) can rewrite or drop the policies. The app must log in as credo_runtime —
// a member of credo_app and nothing else — and the job queue as credo_worker (member of credo_jobs).
import pg from "pg";
import { redact } from "./migrate";

export interface RoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Owner of the console's tables (null: not migrated). */
  tableOwner: string | null;
  /** The role is the owner or may act as the owner (membership). */
  actsAsOwner: boolean;
  /** Member of the role this connection is meant for (credo_app or credo_jobs). */
  memberOfExpected: boolean;
}

export type ConnectionPurpose = "app" | "jobs";

const EXPECTED: Record<ConnectionPurpose, { variable: string; login: string; role: string }> = {
  app: { variable: "DATABASE_URL", login: "credo_runtime", role: "credo_app" },
  jobs: { variable: "JOBS_DATABASE_URL", login: "credo_worker", role: "credo_jobs" },
};

/** What is wrong with connecting as `facts.role` for `purpose` (null: nothing). Pure, for tests. */
export function roleProblem(facts: RoleFacts, purpose: ConnectionPurpose): string | null {
  const e = EXPECTED[purpose];
  const fix =
    `Connect as the least-privileged login role instead: set a password once as the owner ` +
    `(ALTER ROLE ${e.login} PASSWORD '…'), then ${e.variable}=postgresql://${e.login}:<password>@<host>/<database>. ` +
    `Keep the owner's URL in DATABASE_MIGRATION_URL for \`npm run db:migrate\` and \`npm run db:seed\` (README "Database roles").`;
  if (facts.superuser) return `${e.variable} connects as "${facts.role}", a superuser: it would bypass every row-level security policy. ${fix}`;
  if (facts.bypassRls) return `${e.variable} connects as "${facts.role}", which has BYPASSRLS: it would bypass every row-level security policy. ${fix}`;
  if (facts.tableOwner === null) {
    return `The database behind ${e.variable} has no Credo tables yet: run \`npm run db:migrate\` with DATABASE_MIGRATION_URL (the owner) first.`;
  }
  if (facts.actsAsOwner) {
    return `${e.variable} connects as "${facts.role}", which owns the tables (or is a member of their owner "${facts.tableOwner}"): it could rewrite or drop the security policies. ${fix}`;
  }
  if (!facts.memberOfExpected) {
    return `${e.variable} connects as "${facts.role}", which is not a member of ${e.role}. Run \`npm run db:migrate\` (it creates ${e.login}) or, as the owner: GRANT ${e.role} TO "${facts.role}".`;
  }
  return null;
}

export async function readRoleFacts(url: string, purpose: ConnectionPurpose): Promise<RoleFacts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<RoleFacts>(
      `WITH t AS (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'tenants')
       SELECT current_user::text AS role, r.rolsuper AS superuser, r.rolbypassrls AS "bypassRls",
              (SELECT tableowner::text FROM t) AS "tableOwner",
              coalesce((SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM t), false) AS "actsAsOwner",
              coalesce((SELECT pg_has_role(current_user, rolname, 'MEMBER') FROM pg_roles WHERE rolname = $1), false) AS "memberOfExpected"
         FROM pg_roles r WHERE r.rolname = current_user`,
      [EXPECTED[purpose].role],
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/** Throws an Error whose message says what to do when `url` is not a least-privileged connection. */
export async function assertLeastPrivilege(url: string, purpose: ConnectionPurpose): Promise<void> {
  let facts: RoleFacts;
  try {
    facts = await readRoleFacts(url, purpose);
  } catch (error) {
    throw new Error(`Cannot connect with ${EXPECTED[purpose].variable} (${redact(url)}): ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = roleProblem(facts, purpose);
  if (problem) throw new Error(problem);
}
