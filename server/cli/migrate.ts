// `npm run db:migrate`: applies the committed migrations to the server in DATABASE_URL.
// (Without DATABASE_URL, `npm run dev` / `npm start` migrate their embedded database themselves.)
import { migrateDatabase, redact } from "../db/migrate";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set. `npm run db:migrate` migrates a PostgreSQL server, e.g.\n" +
        "  DATABASE_URL=postgresql://user:password@host:5432/credo npm run db:migrate\n" +
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
