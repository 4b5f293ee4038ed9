// `npm run keys:rewrap-kek`: re-wraps every tenant's data key under KEY_ENCRYPTION_KEY, reading
// each with whichever configured KEK wrapped it (KEY_ENCRYPTION_KEY_PREVIOUS, by kek_id). One tenant
// transaction per tenant; idempotent; the console keeps running meanwhile. See server/signing-keys/kek-rotation.ts.
import { env } from "../env";
import { runCli } from "./run-cli";
import { keyringFromEnv } from "../signing-keys/envelope";
import { rewrapAllDataKeys } from "../signing-keys/kek-rotation";

async function main(): Promise<number> {
  // Re-wrapping INTO the public dev-only KEK would only weaken things: require a real target.
  if (!env.KEY_ENCRYPTION_KEY) {
    console.error("KEY_ENCRYPTION_KEY is not set: it names the KEK to re-wrap every data key under (openssl rand -base64 32).");
    return 2;
  }
  const keyring = keyringFromEnv();
  console.log(`Re-wrapping data keys under ${keyring.current.id} (accepting ${[...keyring.known.keys()].join(", ")}) …`);
  const r = await rewrapAllDataKeys(keyring);
  console.log(`re-wrapped ${r.rewrapped}, already current ${r.unchanged}, without a data key ${r.withoutDataKey}, failed ${r.failed.length}`);
  for (const f of r.failed) console.error(`  ${f.tenant}: ${f.error}`);
  return r.failed.length ? 1 : 0;
}

await runCli(main);
