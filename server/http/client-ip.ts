// The one answer to "which address is this request from?", used by sign-in throttling, rate limits,
// audit events and sessions (through clientIp in ./request-meta.ts).
//
//   socket address   stamped by our own HTTP server (server/http/node-server.ts) into PEER_HEADER,
//                    with a per-process random key the client cannot know; any client-sent copy is
//                    deleted first. A request that did not pass through that server has no address.
//   X-Forwarded-For  read ONLY when the socket peer is a trusted proxy (TRUSTED_PROXIES): the
//                    right-most entry that is not itself a trusted proxy is the client. Entries to its
//                    left were written by the client and are never believed.
//
// TRUSTED_PROXIES: unset = trust no proxy (X-Forwarded-For ignored); a number n = the last n hops are
// proxies (the socket peer and n-1 X-Forwarded-For entries); or a comma-separated list of IPs/CIDRs
// (and the word "loopback").
import { BlockList, isIP } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Internal request header carrying `<key> <socket address>`; never accepted from clients. */
export const PEER_HEADER = "x-credo-peer";

export type TrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "list"; list: BlockList };

/** Parses TRUSTED_PROXIES; throws with a message naming the bad entry. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const v = value?.trim() ?? "";
  if (v === "" || v === "0" || v.toLowerCase() === "none") return { kind: "none" };
  if (/^\d+$/.test(v)) return { kind: "hops", hops: Math.min(Number(v), 32) };
  const list = new BlockList();
  for (const raw of v.split(",").map((s) => s.trim()).filter(Boolean)) {
    if (raw.toLowerCase() === "loopback") {
      list.addSubnet("127.0.0.0", 8, "ipv4");
      list.addSubnet("::1", 128, "ipv6");
      continue;
    }
    const [addr, prefix] = raw.split("/");
    const family = isIP(addr ?? "");
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (!family || !Number.isInteger(bits) || bits < 0 || bits > (family === 6 ? 128 : 32)) {
      throw new Error(`TRUSTED_PROXIES: "${raw}" is not an IP address or CIDR (e.g. 10.0.0.0/8), a hop count, or "loopback"`);
    }
    list.addSubnet(addr!, bits, family === 6 ? "ipv6" : "ipv4");
  }
  return { kind: "list", list };
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; "[::1]:443" / "1.2.3.4:80" → the address; anything else as given. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(a)) a = a.slice(7);
  return a.slice(0, 64);
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client address from the socket peer and the X-Forwarded-For chain under `trust`.
 * Pure (tests and the bench call it directly).
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | null, trust: TrustedProxies): string | null {
  if (!peer) return null;
  const socket = normalizeAddress(peer);
  if (trust.kind === "none" || !forwardedFor) return socket;
  const chain = forwardedFor.split(",").map(normalizeAddress).filter(Boolean);
  if (trust.kind === "hops") {
    // The socket peer is hop 1; hop k is the (k-1)-th entry from the right.
    if (trust.hops <= 0) return socket;
    return chain[Math.max(0, chain.length - trust.hops)] ?? socket;
  }
  if (!trusted(trust.list, socket)) return socket;
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!trusted(trust.list, chain[i]!)) return chain[i]!;
  }
  return chain[0] ?? socket;
}

// The key lives on globalThis: our HTTP server and Next's route handlers run in one process but in
// different module instances (Next bundles its own copy of this file).
const globalForPeer = globalThis as unknown as { credoPeerKey?: string };
function peerKey(): string {
  return (globalForPeer.credoPeerKey ??= randomBytes(24).toString("base64url"));
}

/** The stamp our HTTP server puts on each request (tests use it to play the socket). */
export function peerStamp(address: string): string {
  return `${peerKey()} ${address}`;
}

/** Our HTTP server, on every request before Next sees it: any client-sent stamp out, the socket's in. */
export function stampPeer(req: IncomingMessage): void {
  delete req.headers[PEER_HEADER];
  const address = req.socket.remoteAddress;
  if (address) req.headers[PEER_HEADER] = peerStamp(address);
}

/** The socket address stamped on the request, or null when the stamp is missing or not ours. */
export function stampedPeer(headers: Headers): string | null {
  const v = headers.get(PEER_HEADER);
  if (!v) return null;
  const space = v.indexOf(" ");
  if (space < 0) return null;
  const given = Buffer.from(v.slice(0, space));
  const key = Buffer.from(peerKey());
  if (given.length !== key.length || !timingSafeEqual(given, key)) return null;
  return v.slice(space + 1) || null;
}
