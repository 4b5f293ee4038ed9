// Liveness of the database for the health endpoint: one trivial statement through the platform door
// (the same pool, role switch and transaction every request uses).
import { onPlatform } from "./doors";

export async function pingDatabase(): Promise<void> {
  await onPlatform((db) => db.$queryRaw`SELECT 1`);
}
