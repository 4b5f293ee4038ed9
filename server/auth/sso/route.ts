// Wraps the Auth.js route handler for SSO requests: the sign-in start (POST /api/auth/signin/oidc)
// and the provider's callback (/api/auth/callback/oidc). See settle.ts for what happens after.
import { requestMetaFrom } from "../../http/request-meta";
import { runSsoRequest } from "./request-context";
import { settleSsoRequest } from "./settle";

const SSO_PATH = /\/(signin|callback)\/oidc\/?$/;

export function withSsoOutcome<R extends Request>(handler: (req: R) => Promise<Response>): (req: R) => Promise<Response> {
  return async (req) => {
    if (!SSO_PATH.test(new URL(req.url).pathname)) return handler(req);
    const meta = requestMetaFrom(req.headers);
    const { result: response, context } = await runSsoRequest(meta, () => handler(req));
    const location = response.headers.get("location");
    const settled = await settleSsoRequest(location, context, meta);
    if (settled === location) return response;

    const headers = new Headers();
    for (const [name, value] of response.headers) if (name !== "set-cookie") headers.set(name, value);
    for (const cookie of response.headers.getSetCookie()) headers.append("set-cookie", cookie);
    headers.set("location", settled!);
    return new Response(null, { status: response.status, headers });
  };
}
