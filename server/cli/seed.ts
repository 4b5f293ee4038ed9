// `npm run db:seed`: demo data (idempotent). Its writes go through the runtime role like the app's
// (DATABASE_URL, or DATABASE_MIGRATION_URL when only that is set); making the first security admin
// takes the owner, DATABASE_MIGRATION_URL (server/db/owner.ts).
if (!process.env.DATABASE_URL && !process.env.DATABASE_MIGRATION_URL) {
  console.error("DATABASE_MIGRATION_URL is not set. Without a database URL, `npm run dev` seeds the embedded database by itself.");
  process.exit(1);
}
process.env.DATABASE_URL ||= process.env.DATABASE_MIGRATION_URL;
const { seedDemoData, demoCredentialsBanner } = await import("./demo-data");
const { disconnectPrisma } = await import("../db/client");
try {
  await seedDemoData((l) => console.log(`seed: ${l}`));
  console.log(demoCredentialsBanner());
} finally {
  await disconnectPrisma();
}
export {};
