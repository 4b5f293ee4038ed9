// `npm run platform-key:generate`: prints a new platform signing key (a private Ed25519 JWK) for
// PLATFORM_SIGNING_KEY, and its public JWK (kid = RFC 7638 thumbprint) on stderr. Keep the private
// key in your secret store; after a rotation, add the old PUBLIC key to PLATFORM_PREVIOUS_PUBLIC_KEYS
// so signatures made with it keep verifying.
import { generatePlatformPrivateJwk, platformKeyFromJwk } from "../platform-keys";

const jwk = await generatePlatformPrivateJwk();
const key = await platformKeyFromJwk(jwk);
console.error(`public key (kid ${key.kid}): ${JSON.stringify(key.publicJwk)}`);
console.log(JSON.stringify(jwk));
