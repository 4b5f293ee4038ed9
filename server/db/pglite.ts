// Every PGlite instance of the project is opened here, so each one loads the same contrib
// extensions the migrations create (CREATE EXTENSION on PGlite only works for an extension passed
// to PGlite.create): the embedded store (embedded.ts), the migrator's throw-away shadow database
// (migrator-adapter.ts) and the tests that serve a PGlite of their own.
//   pg_trgm + btree_gin: the audit viewer's free-text index (migration 20261207106000).
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

export const PGLITE_EXTENSIONS = { pg_trgm, btree_gin };

/** A PGlite database with the project's extensions: persistent in `dataDir`, or in memory without one. */
export function openPGlite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: PGLITE_EXTENSIONS });
}
