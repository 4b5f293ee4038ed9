// A cache-invalidation listener in its own process (server/cache/invalidation.test.ts): prints
// "ready" once it listens, then every target it receives, one per line.
import { InvalidationBus } from "../cache/invalidation";

const bus = new InvalidationBus(process.env.DATABASE_URL!);
bus.subscribe((target) => process.stdout.write(`${target}\n`));
bus
  .settled(10_000)
  .then(() => process.stdout.write("ready\n"))
  .catch((e: unknown) => {
    console.error(String(e));
    process.exit(1);
  });
// The bus's connection does not keep a process alive by itself (it is unref'd): this one must stay.
setInterval(() => undefined, 60_000);
