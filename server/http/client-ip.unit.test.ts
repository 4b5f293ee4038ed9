// The one client-IP decision: socket address unless the peer is a trusted proxy; a client can neither
// forge the internal socket stamp nor, without a trusted proxy, choose its address through X-Forwarded-For.
import { describe, expect, it } from "vitest";
import { createServer, request as httpRequest } from "node:http";
import { PEER_HEADER, normalizeAddress, parseTrustedProxies, peerStamp, resolveClientIp, stampPeer, stampedPeer } from "./client-ip";
import { clientIp, requestMetaFrom } from "./request-meta";

const none = parseTrustedProxies(undefined);

describe("resolveClientIp", () => {
  it("trusts no proxy by default: X-Forwarded-For is ignored", () => {
    expect(resolveClientIp("203.0.113.9", "198.51.100.7", none)).toBe("203.0.113.9");
    expect(resolveClientIp("::ffff:203.0.113.9", "198.51.100.7, 10.0.0.2", none)).toBe("203.0.113.9");
    expect(resolveClientIp(null, "198.51.100.7", none)).toBeNull();
  });

  it("with a hop count, takes the entry that many hops back (client-written entries to its left never count)", () => {
    const one = parseTrustedProxies("1");
    expect(resolveClientIp("10.0.0.2", "198.51.100.7", one)).toBe("198.51.100.7");
    // The client prepends a forged entry; the load balancer appends what it saw.
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, 198.51.100.7", one)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.3", "1.2.3.4, 198.51.100.7, 10.0.0.2", parseTrustedProxies("2"))).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", null, one)).toBe("10.0.0.2");
  });

  it("with CIDRs, walks from the right to the first untrusted address; an untrusted peer is the client", () => {
    const lb = parseTrustedProxies("10.0.0.0/8, loopback, 2001:db8::/32");
    expect(resolveClientIp("10.1.2.3", "1.2.3.4, 198.51.100.7, 10.9.9.9", lb)).toBe("198.51.100.7");
    expect(resolveClientIp("203.0.113.9", "198.51.100.7", lb)).toBe("203.0.113.9");
    expect(resolveClientIp("::1", "[2001:db8::5]:443, 198.51.100.8:5555", lb)).toBe("198.51.100.8");
    expect(resolveClientIp("127.0.0.1", "10.0.0.1", lb)).toBe("10.0.0.1");
  });

  it("refuses a malformed TRUSTED_PROXIES with a message naming the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, lb.internal")).toThrow(/"lb.internal" is not an IP address or CIDR/);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
  });

  it("normalizes ports, brackets and IPv4-mapped addresses", () => {
    expect(normalizeAddress(" [::1]:8080 ")).toBe("::1");
    expect(normalizeAddress("192.0.2.1:80")).toBe("192.0.2.1");
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
  });
});

describe("clientIp (the socket stamp)", () => {
  it("uses the address our server stamped, ignoring X-Forwarded-For and X-Real-IP (no trusted proxy here)", () => {
    const h = new Headers({ [PEER_HEADER]: peerStamp("203.0.113.9"), "x-forwarded-for": "198.51.100.7", "x-real-ip": "198.51.100.8" });
    expect(clientIp(h)).toBe("203.0.113.9");
    expect(requestMetaFrom(h).ip).toBe("203.0.113.9");
  });

  it("ignores a stamp a client wrote itself (it cannot know the per-process key)", () => {
    const forged = new Headers({ [PEER_HEADER]: "guess 198.51.100.7", "x-forwarded-for": "198.51.100.7" });
    expect(stampedPeer(forged)).toBeNull();
    expect(clientIp(forged)).toBeNull();
    expect(clientIp(new Headers({ [PEER_HEADER]: "198.51.100.7" }))).toBeNull();
  });
});

describe("stampPeer (our HTTP server, over a real socket)", () => {
  it("replaces a client-sent stamp — even a replayed valid one — with the socket address", async () => {
    const seen: (string | null)[] = [];
    const server = createServer((req, res) => {
      stampPeer(req);
      const h = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") h.set(k, v);
      seen.push(clientIp(h));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const send = (headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port, path: "/", headers }, (res) => (res.resume(), res.on("end", resolve)));
        req.on("error", reject);
        req.end();
      });
    await send({ [PEER_HEADER]: peerStamp("198.51.100.7"), "x-forwarded-for": "198.51.100.7" });
    await send({ [PEER_HEADER]: "anything 198.51.100.8" });
    await new Promise((r) => server.close(r));
    expect(seen).toEqual(["127.0.0.1", "127.0.0.1"]);
  });
});
