// `npm run db:seed`: demo data on the DATABASE_URL server (idempotent).
if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. Without it, `npm run dev` seeds the embedded database by itself.");
  process.exit(1);
}
const { seedDemoData, demoCredentialsBanner } = await import("../db/seed");
const { disconnectPrisma } = await import("../db/client");
try {
  await seedDemoData((l) => console.log(`seed: ${l}`));
  console.log(demoCredentialsBanner());
} finally {
  await disconnectPrisma();
}
export {};
