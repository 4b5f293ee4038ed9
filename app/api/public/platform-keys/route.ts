// GET /api/public/platform-keys: the platform's public signing keys (a JWKS), with which anyone
// verifies audit export manifests, audit checkpoints and deletion receipts offline
// (`npm run export:verify -- … --jwks <this URL>`). Public members only (server/platform-keys/).
import { servePublicDocument } from "@/server/http/public-json";
import { platformPublicJwks } from "@/server/platform-keys";
import { observedRoute } from "@/server/observability/request";

export const dynamic = "force-dynamic";

export const GET = observedRoute("/api/public/platform-keys", (req: Request) => servePublicDocument(req, () => platformPublicJwks()));
