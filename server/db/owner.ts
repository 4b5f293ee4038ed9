// The owner's connection, for the few things the runtime role may never do: making the FIRST
// security admin (npm run db:seed, test fixtures). Not used by the running app. The URL is
// DATABASE_MIGRATION_URL (the tables' owner), else DATABASE_URL (embedded PGlite: always superuser).
import pg from "pg";
import { env } from "../env";

export function ownerDatabaseUrl(): string {
  const url = env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_MIGRATION_URL (the tables' owner) is not set.");
  return url;
}

async function withOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Bootstrap: gives an existing operator the platform role as the owner. After that, security admins
 * grant it to others through credo_set_platform_role (server/accounts/platform-users-repository.ts).
 */
export async function bootstrapSecurityAdmin(userId: string): Promise<void> {
  await withOwner((c) => c.query(`UPDATE users SET platform_role = 'security_admin' WHERE id = $1`, [userId]));
}
