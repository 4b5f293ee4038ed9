// `npm run db:migrate`: applies the committed migrations to the server in DATABASE_MIGRATION_URL (the
// tables' owner), or DATABASE_URL when that is unset (a development server where they are the same).
// (Without DATABASE_URL, `npm run dev` / `npm start` migrate their embedded database themselves.)
import { migrateDatabase, redact } from "../db/migrate";

async function main(): Promise<void> {
  const url = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_MIGRATION_URL is not set. `npm run db:migrate` migrates a PostgreSQL server as the owner of its tables, e.g.\n" +
        "  DATABASE_MIGRATION_URL=postgresql://credo_owner:password@host:5432/credo npm run db:migrate\n" +
        "Without DATABASE_URL, `npm run dev` starts the embedded database and migrates it itself.",
    );
    process.exit(2);
  }
  console.log(`Migrating ${redact(url)} …`);
  await migrateDatabase(url, {
    embedded: process.env.CREDO_EMBEDDED === "1",
    onOutput: (chunk) => process.stdout.write(chunk),
  });
  console.log("Database is up to date.");
}

main().catch((error: unknown) => {
  // The CLI output was already streamed; print only the first line of the error.
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  console.error(message);
  process.exit(1);
});
