// The start of an SSO sign-in from the sign-in page's server action: Auth.js reads the provider's
// discovery document and answers with the authorization URL, or with "/signin?error=…" when the
// provider fails (settled as in settle.ts).
import { AuthError } from "next-auth";
import type { RequestMeta } from "../../audit/record";
import { runSsoRequest } from "./request-context";
import { settleSsoRequest } from "./settle";

/** Runs Auth.js's sign-in start (which returns the URL to go to) and returns where to send the browser. */
export async function startSsoSignIn(meta: RequestMeta | null, start: () => Promise<string>): Promise<string> {
  const { result: url, context } = await runSsoRequest(meta, async () => {
    try {
      return await start();
    } catch (error) {
      // Auth.js rethrows its own errors to server actions instead of answering with a redirect.
      if (error instanceof AuthError) return `/signin?error=${error.type}`;
      throw error;
    }
  });
  return (await settleSsoRequest(url, context, meta)) ?? url;
}
