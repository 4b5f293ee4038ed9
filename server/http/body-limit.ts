// Request bodies are read through a byte counter that stops at the limit: a large body is refused
// (413) after at most `maxBytes` have been read, never buffered or parsed whole. Content-Length alone
// is not enough (chunked bodies have none, and it can lie), so it is only an early exit.

/** tRPC calls (the largest legitimate body is a policy document, capped at 64 KB by its own schema). */
export const TRPC_BODY_LIMIT = 256 * 1024;
/**
 * The backup import and its dry run only (server/api/http.ts picks it by procedure name, for requests
 * naming nothing else): a backup document of 1,000 clients with a few URIs each is ~0.7 MB.
 */
export const BACKUP_BODY_LIMIT = 4 * 1024 * 1024;
/** Public machine endpoints (authorize-check): a client id and a redirect URI. */
export const PUBLIC_BODY_LIMIT = 16 * 1024;
/** Auth.js's own POSTs (sign-in form, sign-out, CSRF token exchange). */
export const AUTH_BODY_LIMIT = 16 * 1024;

export function tooLargeMessage(maxBytes: number): string {
  return `The request body is larger than ${maxBytes >= 1024 ? `${Math.floor(maxBytes / 1024)} KB` : `${maxBytes} bytes`}, the most this endpoint accepts.`;
}

export type LimitedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; status: 413; message: string };

export async function readBodyLimited(req: Request, maxBytes: number): Promise<LimitedBody> {
  const refuse = (): LimitedBody => ({ ok: false, status: 413, message: tooLargeMessage(maxBytes) });
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) return refuse();
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return refuse();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes };
}

/** The same request with its (already read and bounded) body. */
export function withBody(req: Request, bytes: Uint8Array<ArrayBuffer>): Request {
  return new Request(req.url, { method: req.method, headers: req.headers, body: bytes, signal: req.signal });
}
