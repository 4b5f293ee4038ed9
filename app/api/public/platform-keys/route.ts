// GET /api/public/platform-keys: the platform's public signing keys (a JWKS), with which anyone
// verifies audit export manifests, audit checkpoints and deletion receipts offline
// (`npm run export:verify -- … --jwks <this URL>`). Public members only (server/platform-keys/).
import { servePublicDocument } from "@/server/http/public-json";
import { platformPublicJwks } from "@/server/platform-keys";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return servePublicDocument(req, () => platformPublicJwks());
}
