// The frame of the operational commands (keys:*, audit:verify, …): they need DATABASE_URL, return
// an exit code, and always release the database pool, even when they fail.
import { env } from "../env";
import { disconnectPrisma } from "../db/client";

export async function runCli(main: (args: string[]) => Promise<number>): Promise<void> {
  try {
    if (!env.DATABASE_URL) {
      console.error("DATABASE_URL is not set: point it at the console's database.");
      process.exitCode = 2;
      return;
    }
    process.exitCode = await main(process.argv.slice(2));
  } finally {
    await disconnectPrisma();
  }
}
