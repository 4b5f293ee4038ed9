// Prisma CLI configuration (Prisma 6.19.3). The CLI migrates through the bundled WASM schema engine
// and a driver adapter (`engine: "js"`): the native engines cannot be downloaded on this network.
//
// DATABASE_URL must be set for every CLI command (even `generate`: without it the 6.19 CLI tries to
// download engines). `npm run db:generate` / postinstall set a dummy URL for `generate`.
//   CREDO_EMBEDDED=1  the URL points at embedded PGlite (set by the embedded launcher and by
//                     migrateDatabase(url, { embedded: true })): the shadow database becomes a
//                     throw-away in-memory PGlite, and the CLI keeps its pool small.
//
// Authoring a NEW migration after editing prisma/schema.prisma (`migrate dev` is buggy here):
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
//     npx prisma migrate diff --from-migrations prisma/migrations \
//       --to-schema-datamodel prisma/schema.prisma --script \
//       > prisma/migrations/$(date -u +%Y%m%d%H%M%S)_<name>/migration.sql   (mkdir the folder first)
// It replays the committed migrations into a temporary shadow database (CREATE DATABASE rights
// needed; on PGlite add CREDO_EMBEDDED=1) and prints the SQL to reach the schema. Review it, add any
// RLS policies/grants for new tenant-owned tables by hand, then `npm run db:migrate`.
// `--from-url` / `--shadow-database-url` are refused with an adapter.
import { defineConfig } from "prisma/config";
import { MigratorPg } from "./server/db/migrator-adapter";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set (the Prisma CLI needs it, e.g. postgresql://user@host:5432/db).");
    }
    return new MigratorPg(url, { embedded: process.env.CREDO_EMBEDDED === "1" });
  },
});
