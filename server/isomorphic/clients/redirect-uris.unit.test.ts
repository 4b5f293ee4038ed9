// Redirect URI rules (pure module): registration checks, exact matching at authorization, bulk
// paste. Table-driven; no database.
import { describe, expect, it } from "vitest";
import {
  checkRedirectUri,
  checkRedirectUris,
  redirectUriMatches,
  MAX_REDIRECT_URI_LENGTH,
  MAX_REDIRECT_URIS,
  type ClientType,
  type RedirectRule,
  type RedirectRuleContext,
} from "./redirect-uris";

const CTX = {
  web: { clientType: "web", regulated: false },
  spa: { clientType: "spa", regulated: false },
  native: { clientType: "native", regulated: false },
  m2m: { clientType: "m2m", regulated: false },
  rWeb: { clientType: "web", regulated: true },
  rSpa: { clientType: "spa", regulated: true },
  rNative: { clientType: "native", regulated: true },
} satisfies Record<string, RedirectRuleContext>;
type Ctx = keyof typeof CTX;

/** "ok" = accepted without warning, "warn" = accepted with a warning, otherwise the rule. */
type Expect = "ok" | "warn" | RedirectRule;

const CYRILLIC_A = "\u0430"; // а, looks like Latin "a"

// [uri, context, expected, note]
const REGISTRATION: [string, Ctx, Expect, string?][] = [
  // ── accepted ──
  ["https://app.example.com/callback", "web", "ok"],
  ["https://app.example.com/callback", "spa", "ok"],
  ["https://app.example.com/callback", "native", "ok", "claimed https link (RFC 8252 §7.2)"],
  ["https://app.example.com/callback", "rWeb", "ok"],
  ["https://app.example.com/callback", "rNative", "ok"],
  ["https://app.example.com/Callback", "web", "ok", "valid, but a different URI from /callback"],
  ["https://app.example.com", "web", "ok", "no path"],
  ["https://app.example.com/", "web", "ok"],
  ["https://app.example.com/cb/", "web", "ok"],
  ["https://app.example.com:8443/cb", "web", "ok", "non-default port"],
  ["https://app.example.com/cb?tenant=acme&x=1", "web", "ok"],
  ["https://app.example.com/cb?", "web", "ok"],
  ["https://app.example.com/cb?a='b'", "web", "ok", "WHATWG encodes ' in queries; tolerated"],
  ["https://app.example.com/a%20b", "web", "ok", "percent-encoded space"],
  ["https://app.example.com/a%2Fb", "web", "ok", "encoded reserved character"],
  ["https://app.example.com/cb@evil.com", "web", "ok", "@ in the path, host is app.example.com"],
  ["https://app.example.com.evil.com/cb", "web", "ok", "just a different host; must not match app.example.com"],
  ["https://xn--mnchen-3ya.de/cb", "web", "ok", "punycode IDN, single script"],
  ["https://xn--80aswg.xn--p1ai/cb", "web", "ok", "all-Cyrillic label under a Cyrillic TLD"],
  ["https://my-app.example.co.uk/cb", "spa", "ok"],
  ["https://203.0.113.7/cb", "web", "warn", "https IP literal: allowed, warned"],
  ["https://[2001:db8::1]/cb", "web", "warn"],
  ["http://127.0.0.1/callback", "native", "ok", "loopback, no port"],
  ["http://127.0.0.1:51004/oauth2redirect", "native", "warn", "port given: warned that it is ignored"],
  ["http://[::1]/callback", "native", "ok"],
  ["http://[::1]:61023/callback", "native", "warn"],
  ["http://127.0.0.1", "native", "ok"],
  ["http://localhost/cb", "native", "warn", "localhost by name: warned (RFC 8252 §8.3)"],
  ["http://localhost:3000/cb", "native", "warn"],
  ["http://app.localhost:3000/cb", "native", "warn"],
  ["com.example.app:/oauth2redirect/example-provider", "native", "ok", "RFC 8252 §7.1"],
  ["com.example.app://callback", "native", "ok"],
  ["com.googleusercontent.apps.123-abc:/oauthredirect", "native", "ok"],
  ["com.example.app:/cb?x=1", "native", "ok"],
  ["https://app.example.com/cb", "native", "ok", "post-logout kind uses the same rules (see below)"],

  // ── relative / scheme-less ──
  ["/cb", "web", "not_absolute"],
  ["//evil.com", "web", "not_absolute"],
  ["//evil.com/cb", "native", "not_absolute"],
  ["evil.com/cb", "web", "not_absolute"],
  ["evil.com:8080/cb", "web", "not_absolute", "host:port without scheme, not a custom scheme"],
  ["localhost:3000/cb", "native", "not_absolute"],
  ["https:evil.com", "web", "not_absolute", "no // after the scheme"],
  ["https:/evil.com/cb", "web", "not_absolute"],
  ["https:///evil.com/cb", "web", "invalid_host", "empty authority"],
  ["\\\\evil.com", "web", "backslash"],
  ["https:\\\\evil.com", "web", "backslash"],
  ["https://evil.com\\@app.example.com/cb", "web", "backslash"],
  ["https://app.example.com\\cb", "web", "backslash"],
  ["com.example.app:callback", "native", "not_absolute", "private-use scheme needs :/"],

  // ── fragments, userinfo, wildcards ──
  ["https://app.example.com/cb#", "web", "fragment"],
  ["https://app.example.com/cb#frag", "web", "fragment"],
  ["https://app.example.com@evil.com", "web", "userinfo"],
  ["https://app.example.com@evil.com/cb", "spa", "userinfo"],
  ["https://user:pw@x", "web", "userinfo"],
  ["https://user@app.example.com/cb", "web", "userinfo"],
  ["https://app.example.com%2f@evil.com/cb", "web", "userinfo"],
  ["http://127.0.0.1:8080@evil.com/cb", "native", "userinfo"],
  ["com.example.app://user@host/cb", "native", "userinfo"],
  ["https://*.example.com/cb", "web", "wildcard"],
  ["https://app.example.com/*", "web", "wildcard"],
  ["https://app.example.com/cb?x=*", "web", "wildcard"],

  // ── schemes ──
  ["javascript:alert(1)", "web", "dangerous_scheme"],
  ["JaVaScRiPt:alert(document.domain)", "native", "dangerous_scheme"],
  ["javascript://app.example.com/%0aalert(1)", "web", "encoded_control"],
  ["javascript://app.example.com/cb", "web", "dangerous_scheme"],
  ["data:text/html,<script>alert(1)</script>", "web", "dangerous_scheme"],
  ["DATA:text/html;base64,PHNjcmlwdD4=", "web", "dangerous_scheme"],
  ["vbscript:msgbox(1)", "web", "dangerous_scheme"],
  ["file:///etc/passwd", "native", "dangerous_scheme"],
  ["FILE://server/share", "native", "dangerous_scheme"],
  ["blob:https://app.example.com/uuid", "spa", "dangerous_scheme"],
  ["about:blank", "spa", "dangerous_scheme"],
  ["ftp://app.example.com/cb", "web", "unsupported_scheme"],
  ["ws://app.example.com/cb", "web", "unsupported_scheme"],
  ["wss://app.example.com/cb", "web", "unsupported_scheme"],
  ["urn:ietf:wg:oauth:2.0:oob", "native", "unsupported_scheme", "out-of-band is gone (OAuth 2.1)"],
  ["HTTPS://app.example.com/cb", "web", "uppercase_scheme"],
  ["Https://app.example.com/cb", "web", "uppercase_scheme"],
  ["Com.Example.App:/cb", "native", "uppercase_scheme"],

  // ── http ──
  ["http://app.example.com/cb", "web", "http_not_native", "RFC 9700 §2.6"],
  ["http://app.example.com/cb", "spa", "http_not_native"],
  ["http://127.0.0.1/cb", "web", "http_not_native"],
  ["http://127.0.0.1/cb", "spa", "http_not_native"],
  ["http://app.example.com/cb", "native", "http_not_loopback"],
  ["http://127.0.0.2/cb", "native", "http_not_loopback", "only 127.0.0.1, not all of 127/8"],
  ["http://10.0.0.1/cb", "native", "http_not_loopback"],
  ["http://[::ffff:7f00:1]/cb", "native", "http_not_loopback"],
  ["http://127.1/cb", "native", "invalid_host", "non-canonical IPv4 (WHATWG → 127.0.0.1)"],
  ["http://2130706433/cb", "native", "invalid_host", "integer IPv4"],
  ["http://0x7f.0.0.1/cb", "native", "invalid_host", "hex IPv4"],
  ["http://0177.0.0.1/cb", "native", "invalid_host", "octal IPv4"],
  ["http://[0:0:0:0:0:0:0:1]/cb", "native", "invalid_host", "non-canonical IPv6"],
  ["http://[::1/cb", "native", "invalid_host"],
  ["http://127.0.0.1:80/cb", "native", "default_port"],

  // ── localhost ──
  ["http://localhost/cb", "web", "localhost_name"],
  ["https://localhost/cb", "web", "localhost_name"],
  ["https://localhost:8443/cb", "spa", "localhost_name"],
  ["https://localhost/cb", "native", "localhost_name", "localhost only with http, for native"],
  ["http://LOCALHOST/cb", "web", "localhost_name", "any case"],
  ["http://LocalHost/cb", "native", "uppercase_host"],
  ["http://localhost./cb", "native", "trailing_dot"],
  ["https://app.localhost/cb", "spa", "localhost_name"],

  // ── regulated mode ──
  ["http://127.0.0.1/cb", "rNative", "regulated_http", "no http at all, not even loopback"],
  ["http://[::1]:8080/cb", "rNative", "regulated_http"],
  ["http://app.example.com/cb", "rWeb", "http_not_native", "refused for every tenant: regulated mode is not the reason"],
  ["http://app.example.com/cb", "rNative", "http_not_loopback", "refused for every tenant"],
  ["http://localhost/cb", "rNative", "regulated_localhost"],
  ["https://localhost/cb", "rWeb", "localhost_name", "refused for every tenant"],
  ["https://LOCALHOST/cb", "rSpa", "localhost_name"],
  ["com.example.app:/cb", "rNative", "regulated_custom_scheme"],
  ["https://app.example.com/cb#x", "rWeb", "fragment", "generic rules still apply"],

  // ── private-use schemes ──
  ["myapp:/cb", "native", "custom_scheme_not_reverse_domain"],
  ["myapp://callback", "native", "custom_scheme_not_reverse_domain"],
  ["com.example+app:/cb", "native", "custom_scheme_not_reverse_domain"],
  ["com..example:/cb", "native", "custom_scheme_not_reverse_domain"],
  ["com.example.app:/cb", "web", "custom_scheme_not_native"],
  ["com.example.app:/cb", "spa", "custom_scheme_not_native"],
  ["com.example.app://host:8080/cb", "native", "invalid_port"],
  ["com.example.app://Host/cb", "native", "uppercase_host"],
  ["com.example.app://ho_st/cb", "native", "invalid_host"],
  ["com.example.app:/cb/../admin", "native", "path_traversal"],
  ["com.example.app:/cb?state=x", "native", "reserved_query_param"],

  // ── whitespace, controls, encoded controls ──
  ["", "web", "empty"],
  ["   ", "web", "empty"],
  [" https://app.example.com/cb", "web", "whitespace_or_control", "single check never trims"],
  ["https://app.example.com/cb ", "web", "whitespace_or_control"],
  ["https://app.example.com/c b", "web", "whitespace_or_control"],
  ["https://app.example.com/c\tb", "web", "whitespace_or_control", "WHATWG strips tabs"],
  ["https://app.exa\nmple.com/cb", "web", "whitespace_or_control", "WHATWG strips newlines"],
  ["https://app.example.com/cb\r\nSet-Cookie:x", "web", "whitespace_or_control"],
  ["https://app.example.com/cb\u0000", "web", "whitespace_or_control"],
  ["https://app.example.com/cb\u007f", "web", "whitespace_or_control", "DEL"],
  ["https://app.example.com/cb\u0085", "web", "whitespace_or_control", "C1 (NEL)"],
  ["https://app.example.com/cb\u2028", "web", "whitespace_or_control", "line separator"],
  ["https://app.example.com/cb\u00a0", "web", "whitespace_or_control", "no-break space"],
  ["https://app.example.com\u200b/cb", "web", "whitespace_or_control", "zero-width space"],
  ["https://app.example.com/\u202ebc", "web", "whitespace_or_control", "bidi override"],
  ["https://app.example.com/cb%00", "web", "encoded_control"],
  ["https://app.example.com/cb%0d%0aSet-Cookie:x", "web", "encoded_control"],
  ["https://app.example.com/cb%0D%0A", "web", "encoded_control"],
  ["https://app.example.com/cb?x=%1F", "web", "encoded_control"],
  ["https://app.example.com/cb%7f", "web", "encoded_control"],
  ["https://app.example.com/cb%C2%85", "web", "encoded_control", "UTF-8 encoded C1"],
  ["https://app.example.com/cb%e2%80%a8", "web", "encoded_control", "UTF-8 encoded U+2028"],

  // ── path traversal and percent-encoding ──
  ["https://app.example.com/cb/../admin", "web", "path_traversal"],
  ["https://app.example.com/./cb", "web", "path_traversal"],
  ["https://app.example.com/cb/..", "web", "path_traversal"],
  ["https://app.example.com/cb/%2e%2e/admin", "web", "path_traversal"],
  ["https://app.example.com/cb/%2E%2E/admin", "web", "path_traversal"],
  ["https://app.example.com/cb/.%2e/admin", "web", "path_traversal"],
  ["https://app.example.com/%2e/cb", "web", "path_traversal"],
  ["https://app.example.com/..%2fadmin", "web", "ok", "not a dot segment; %2f is reserved, kept literally"],
  ["https://app.example.com/cb.%2e", "web", "encoded_unreserved", "not a segment, but %2e is never needed"],
  ["https://app.example.com/%63b", "web", "encoded_unreserved"],
  ["https://app.example.com/cb%7E", "web", "encoded_unreserved"],
  ["https://app.example.com/cb%zz", "web", "invalid_percent_encoding"],
  ["https://app.example.com/cb%", "web", "invalid_percent_encoding"],
  ["https://app.example.com/cb%2", "web", "invalid_percent_encoding"],
  ["https://app.example.com/caf\u00e9", "web", "invalid_character", "non-ASCII path"],
  ["https://app.example.com/a|b", "web", "invalid_character"],
  ["https://app.example.com/<script>", "web", "invalid_character"],
  ["https://app.example.com/a\"b", "web", "invalid_character"],
  ["https://app.example.com/[a]", "web", "invalid_character"],
  ["https://app.example.com/a{b}", "web", "invalid_character"],
  ["https://app.example.com/a^b", "web", "invalid_character"],
  ["https://app.example.com/a`b", "web", "invalid_character"],

  // ── reserved query parameters ──
  ["https://app.example.com/cb?code=abc", "web", "reserved_query_param"],
  ["https://app.example.com/cb?state=xyz", "web", "reserved_query_param"],
  ["https://app.example.com/cb?error=access_denied", "web", "reserved_query_param"],
  ["https://app.example.com/cb?x=1&code=2", "web", "reserved_query_param", "any position"],
  ["https://app.example.com/cb?CODE=1", "web", "reserved_query_param", "case-insensitive"],
  ["https://app.example.com/cb?State", "spa", "reserved_query_param", "without a value"],
  ["https://app.example.com/cb?iss=x", "web", "reserved_query_param", "RFC 9207"],
  ["https://app.example.com/cb?error_description=x", "web", "reserved_query_param"],
  ["https://app.example.com/cb?codes=1&my_state=2", "web", "ok", "only whole names count"],
  ["https://app.example.com/cb?x=code", "web", "ok", "values are not names"],

  // ── hosts ──
  [`https://${CYRILLIC_A}pp.example.com/cb`, "web", "idn_not_ascii", "Cyrillic а"],
  ["https://\u0440\u0430\u0443\u0440\u0430\u04cf.com/cb", "web", "idn_not_ascii", "all-Cyrillic “paypal”"],
  ["https://m\u00fcnchen.de/cb", "web", "idn_not_ascii", "Unicode IDN: write it as xn--mnchen-3ya.de"],
  ["https://app.ex\u0430mple.com/cb", "native", "idn_not_ascii"],
  ["https://xn--pp-6kc.example.com/cb", "web", "idn_mixed_script", "punycode of Cyrillic а + Latin pp"],
  ["https://xn--80ak6aa92e.com/cb", "web", "idn_confusable", "“аррӏе”: whole-script look-alike of apple"],
  ["https://xn--a.com/cb", "web", "invalid_host", "invalid punycode"],
  ["https://APP.example.com/cb", "web", "uppercase_host"],
  ["https://App.Example.Com/cb", "spa", "uppercase_host"],
  ["https://app.example.com./cb", "web", "trailing_dot"],
  ["https://app.example.com.:8443/cb", "web", "trailing_dot"],
  ["https://app.example.com:443/cb", "web", "default_port"],
  ["https://app.example.com:443", "spa", "default_port"],
  ["https://app.example.com:0443/cb", "web", "invalid_port", "WHATWG reads 0443 as the default port"],
  ["https://app.example.com:/cb", "web", "invalid_port"],
  ["https://app.example.com:99999/cb", "web", "invalid_port"],
  ["https://app.example.com:8o8o/cb", "web", "invalid_port"],
  ["https://intranet/cb", "web", "invalid_host", "single label"],
  ["https://app_1.example.com/cb", "web", "invalid_host", "underscore"],
  ["https://app..example.com/cb", "web", "invalid_host", "empty label"],
  ["https://-app.example.com/cb", "web", "invalid_host"],
  ["https://app%2eexample.com/cb", "web", "invalid_host", "WHATWG decodes %2e in hosts"],
  ["https://app.example.com%40evil.com/cb", "web", "invalid_host"],
  ["https://example.123/cb", "web", "invalid_host", "ends in a number"],
  ["https://[2001:0db8::1]/cb", "web", "invalid_host", "non-canonical IPv6"],
  ["https://[2001:DB8::1]/cb", "web", "uppercase_host"],
  [`https://${"a".repeat(64)}.example.com/cb`, "web", "invalid_host", "label over 63"],

  // ── length, m2m ──
  ["https://app.example.com/" + "a".repeat(MAX_REDIRECT_URI_LENGTH - 24), "web", "ok", "exactly the limit"],
  ["https://app.example.com/" + "a".repeat(MAX_REDIRECT_URI_LENGTH - 23), "web", "too_long"],
  ["https://app.example.com/cb", "m2m", "no_redirects_for_m2m"],
  ["", "m2m", "no_redirects_for_m2m"],
];

const REGULATED_RULES: RedirectRule[] = ["regulated_http", "regulated_localhost", "regulated_custom_scheme"];

/** What the WHATWG parser may serialise an accepted URI as: exactly what was written, except the
 *  "/" it adds to an empty http(s) path and the "'" it encodes in an http(s) query. */
function allowedHref(uri: string): string {
  if (!/^https?:/.test(uri)) return uri;
  const q = uri.indexOf("?");
  let [base, query] = q < 0 ? [uri, ""] : [uri.slice(0, q), uri.slice(q).replace(/'/g, "%27")];
  if (/^https?:\/\/[^/]*$/.test(base)) base += "/";
  return base + query;
}

describe("checkRedirectUri: registration rules", () => {
  it("has a large table", () => {
    expect(REGISTRATION.length).toBeGreaterThanOrEqual(60);
  });

  it.each(REGISTRATION.map(([uri, ctx, want, note]) => ({ uri, ctx, want, note: note ?? "" })))(
    "$ctx $uri → $want $note",
    ({ uri, ctx, want }) => {
      const check = checkRedirectUri(uri, CTX[ctx]);
      if (want === "ok" || want === "warn") {
        expect(check, check.message).toMatchObject({ ok: true });
        expect(check.rule).toBeUndefined();
        expect(check.message).toBeUndefined();
        if (want === "warn") expect(check.warning).toBeTruthy();
        else expect(check.warning).toBeUndefined();
      } else {
        expect({ ok: check.ok, rule: check.rule }, check.message).toEqual({ ok: false, rule: want });
        expect(check.message).toBeTruthy();
        expect(check.message!.length).toBeGreaterThan(20);
        if (REGULATED_RULES.includes(want)) expect(check.message).toContain("regulated mode");
      }
    },
  );

  it("accepted URIs survive the WHATWG parser unchanged (apart from the implicit '/' and the ' in queries)", () => {
    for (const [uri, , want] of REGISTRATION) {
      if (want !== "ok" && want !== "warn") continue;
      const url = new URL(uri);
      expect(url.href).toBe(allowedHref(uri));
      if (url.protocol === "https:" || url.protocol === "http:") {
        expect(uri.startsWith(`${url.protocol}//${url.host}`)).toBe(true);
      }
    }
  });

  it("messages are actionable and cite the rule", () => {
    const m = (uri: string, ctx: Ctx) => checkRedirectUri(uri, CTX[ctx]).message ?? "";
    expect(m("https://app.example.com/cb#x", "web")).toMatch(/Fragments \(#…\) are not allowed in redirect URIs \(RFC 6749 §3\.1\.2\)/);
    expect(m("https://APP.example.com/cb", "web")).toContain("“app.example.com”");
    expect(m("https://APP.example.com/cb", "web")).toMatch(/lower case/);
    expect(m("https://app.example.com:443/cb", "web")).toMatch(/Remove the default port “:443”/);
    expect(m("http://app.example.com/cb", "web")).toMatch(/RFC 9700 §2\.6/);
    expect(m(`https://${CYRILLIC_A}pp.example.com/cb`, "web")).toContain("xn--pp-6kc.example.com");
    expect(m("https://xn--pp-6kc.example.com/cb", "web")).toMatch(/mixes scripts \(Cyrillic, Latin\)/);
    expect(m("https://app.example.com/cb?Code=1", "web")).toContain("“Code”");
    expect(m("myapp:/cb", "native")).toMatch(/com\.example\.app:\/callback/);
    expect(m("https://app.example.com./cb", "web")).toMatch(/trailing dot/);
    expect(m("http://127.0.0.1/cb", "rNative")).toMatch(/\(regulated mode\)/);
    expect(checkRedirectUri("http://localhost:8080/cb", CTX.native).warning).toMatch(/127\.0\.0\.1.*RFC 8252 §8\.3|RFC 8252 §8\.3.*127\.0\.0\.1/);
  });

  it("post-logout redirect URIs follow the same rules, worded as such", () => {
    const ctx: RedirectRuleContext = { clientType: "web", regulated: false, kind: "post_logout" };
    expect(checkRedirectUri("https://app.example.com/signed-out", ctx)).toEqual({ ok: true });
    const frag = checkRedirectUri("https://app.example.com/signed-out#x", ctx);
    expect(frag).toMatchObject({ ok: false, rule: "fragment" });
    expect(frag.message).toContain("post-logout redirect URIs");
    const plain = checkRedirectUri("http://app.example.com/out", { ...ctx, regulated: true });
    expect(plain).toMatchObject({ rule: "http_not_native" });
    // The rule holds for every tenant: the message must not blame regulated mode.
    expect(plain.message).not.toMatch(/regulated/i);
  });

  it("every client type and mode refuses the classic bypass forms", () => {
    const bypasses = [
      "https://app.example.com@evil.com",
      "//evil.com",
      "https:evil.com",
      "\\\\evil.com",
      "https:\\\\evil.com",
      "https://app.example.com/cb%00",
      "https://app.example.com/cb%0d%0a",
      `https://${CYRILLIC_A}pp.example.com/cb`,
      "https://APP.example.com/cb",
      "https://app.example.com:443/cb",
      "https://app.example.com./cb",
      "javascript:alert(1)",
      "https://*.example.com/cb",
    ];
    for (const uri of bypasses) {
      for (const ctx of Object.keys(CTX) as Ctx[]) {
        expect(checkRedirectUri(uri, CTX[ctx]).ok, `${ctx} ${uri}`).toBe(false);
      }
    }
  });

  it("never throws, and whatever it accepts survives the URL parser and matches itself (deterministic fuzz)", () => {
    // mulberry32: a small seeded PRNG, so a failure is reproducible.
    let a = 42;
    const rnd = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const starts = ["https://", "http://", "com.example.app:", "com.example.app://", "HTTPS://", "https:", "//", "", "javascript:", "https:\\\\", "myapp://"];
    const hosts = [
      "app.example.com", "127.0.0.1", "[::1]", "localhost", "xn--80ak6aa92e.com", "APP.example.com", "app.example.com.", "127.1",
      "a@evil.com", `${CYRILLIC_A}pp.example.com`, "app.example.com:443", "app.example.com:8080", "127.0.0.1:5000", "", "0x7f.1", "[::ffff:127.0.0.1]",
    ];
    const tails = [
      "/", "/cb", "/..", "/.", "/%2e%2e", "/%41", "?", "?code=1", "?x=1", "&", "=", "#", "#x", "%", "%0a", "%20", "@", ":", "*", " ", "\t",
      "'", "[", "\u00e9", "/a-b_c~d", ";", ",", "!", "\\", "//", "%2F",
    ];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let uri = pick(starts) + pick(hosts);
      for (let k = Math.floor(rnd() * 4); k > 0; k--) uri += pick(tails);
      for (const ctx of ["web", "native", "rWeb", "rNative"] as Ctx[]) {
        const check = checkRedirectUri(uri, CTX[ctx]);
        if (!check.ok) {
          expect(check.rule, uri).toBeTruthy();
          expect(check.message, uri).toBeTruthy();
          continue;
        }
        accepted++;
        const url = new URL(uri);
        expect(url.hash, uri).toBe("");
        expect(url.username + url.password, uri).toBe("");
        expect(url.href, uri).toBe(allowedHref(uri));
        if (url.protocol === "http:" || url.protocol === "https:") expect(uri.startsWith(`${url.protocol}//${url.host}`), uri).toBe(true);
        const clientType = CTX[ctx].clientType;
        expect(redirectUriMatches([uri], uri, { clientType }), uri).toBe(true);
        const loopback = /^http:\/\/(127\.0\.0\.1|\[::1\])(:[0-9]+)?/.exec(uri);
        if (loopback) {
          const otherPort = uri.replace(loopback[0], `http://${loopback[1]}:54321`);
          expect(redirectUriMatches([uri], otherPort, { clientType }), otherPort).toBe(true);
          expect(redirectUriMatches([uri], otherPort + "x", { clientType }), otherPort).toBe(false);
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});

// [registered, presented, client type, expected, note]
const MATCHING: [string[], string, ClientType, boolean, string?][] = [
  [["https://app.example.com/callback"], "https://app.example.com/callback", "web", true],
  [["https://a.example.com/cb", "https://app.example.com/callback"], "https://app.example.com/callback", "spa", true, "second of several"],
  [["https://app.example.com/cb"], "https://app.example.com.evil.com/cb", "web", false, "different host"],
  [["https://app.example.com/cb"], "https://app.example.com@evil.com/cb", "web", false],
  [["https://app.example.com/cb"], "https://APP.example.com/cb", "web", false, "case"],
  [["https://app.example.com/cb"], "HTTPS://app.example.com/cb", "web", false],
  [["https://app.example.com/callback"], "https://app.example.com/Callback", "web", false, "path case"],
  [["https://app.example.com/Callback"], "https://app.example.com/callback", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/cb/", "web", false, "trailing slash"],
  [["https://app.example.com"], "https://app.example.com/", "web", false, "no implicit '/'"],
  [["https://app.example.com/cb"], "https://app.example.com/cb/../cb", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/x/../cb", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/%2e%2e/cb", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/%63b", "web", false, "encoded letter"],
  [["https://app.example.com/cb"], "https://app.example.com/cb?x=1", "web", false, "extra query"],
  [["https://app.example.com/cb?x=1"], "https://app.example.com/cb?x=1", "web", true],
  [["https://app.example.com/cb?x=1"], "https://app.example.com/cb?x=1&y=2", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com:443/cb", "web", false, "explicit default port"],
  [["https://app.example.com:8443/cb"], "https://app.example.com:8444/cb", "web", false, "port is exact for non-loopback"],
  [["https://app.example.com/cb"], "https://app.example.com./cb", "web", false, "trailing dot"],
  [["https://app.example.com/cb"], "https://app.example.com/cb#x", "web", false, "fragment"],
  [["https://app.example.com/cb"], "https://app.example.com/cb ", "web", false],
  [["https://app.example.com/cb"], " https://app.example.com/cb", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/cb\n", "web", false],
  [["https://app.example.com/cb"], "https://app.example.com/cb%0d%0a", "web", false],
  [["https://app.example.com/cb"], "https:\\\\app.example.com/cb", "web", false],
  [["https://app.example.com/cb"], "", "web", false],
  [[], "https://app.example.com/cb", "web", false, "nothing registered"],
  [["https://app.example.com/cb"], "https://app.example.com/cb", "m2m", false, "m2m never matches"],
  // loopback: any port for native clients only
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/callback", "native", true, "RFC 8252 §7.3"],
  [["http://127.0.0.1:8080/callback"], "http://127.0.0.1:51004/callback", "native", true],
  [["http://127.0.0.1:8080/callback"], "http://127.0.0.1/callback", "native", true],
  [["http://127.0.0.1/callback"], "http://127.0.0.1/callback", "native", true],
  [["http://[::1]/callback"], "http://[::1]:61023/callback", "native", true],
  [["http://127.0.0.1"], "http://127.0.0.1:1234", "native", true],
  [["http://127.0.0.1/cb?x=1"], "http://127.0.0.1:1234/cb?x=1", "native", true],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/callback", "spa", false, "any-port only for native"],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/callback", "web", false],
  [["http://127.0.0.1/callback"], "http://[::1]:51004/callback", "native", false, "host is exact"],
  [["http://[::1]/callback"], "http://127.0.0.1:51004/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/Callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/callback/", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/x/../callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004/callback?x=1", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:51004@evil.com/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1.evil.com:51004/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:/callback", "native", false, "empty port"],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:051004/callback", "native", false, "leading zero"],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:99999/callback", "native", false, "out of range"],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:0/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.0.0.1:8080/callback#x", "native", false],
  [["http://127.0.0.1/callback"], "https://127.0.0.1:8080/callback", "native", false, "scheme is exact"],
  [["http://127.0.0.1/callback"], "HTTP://127.0.0.1:8080/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://127.1:8080/callback", "native", false],
  [["http://127.0.0.1/callback"], "http://[0:0:0:0:0:0:0:1]:8080/callback", "native", false],
  [["http://localhost/callback"], "http://localhost:8080/callback", "native", false, "localhost by name: exact port"],
  [["http://localhost:8080/callback"], "http://localhost:8080/callback", "native", true],
  [["com.example.app:/cb"], "com.example.app:/cb", "native", true],
  [["com.example.app:/cb"], "com.example.app://cb", "native", false],
  [["com.example.app:/cb"], "COM.EXAMPLE.APP:/cb", "native", false],
  [["https://app.example.com/cb\u0000"], "https://app.example.com/cb\u0000", "web", false, "an unsafe stored value never matches"],
];

describe("redirectUriMatches: exact matching at authorization", () => {
  it("has a large table", () => {
    expect(MATCHING.length).toBeGreaterThanOrEqual(30);
  });

  it.each(MATCHING.map(([registered, presented, clientType, want, note]) => ({ registered, presented, clientType, want, note: note ?? "" })))(
    "$clientType $registered ← $presented → $want $note",
    ({ registered, presented, clientType, want }) => {
      expect(redirectUriMatches(registered, presented, { clientType })).toBe(want);
    },
  );

  it("a URI that is valid at registration still matches only itself", () => {
    const registered = ["https://app.example.com/Callback", "https://app.example.com.evil.com/cb"];
    for (const uri of registered) expect(checkRedirectUri(uri, CTX.web).ok).toBe(true);
    expect(redirectUriMatches(registered, "https://app.example.com/callback", { clientType: "web" })).toBe(false);
    expect(redirectUriMatches(["https://app.example.com/cb"], "https://app.example.com.evil.com/cb", { clientType: "web" })).toBe(false);
    expect(redirectUriMatches(registered, "https://app.example.com/Callback", { clientType: "web" })).toBe(true);
  });
});

describe("checkRedirectUris: bulk paste, one URI per line", () => {
  it("gives per-line results with 1-based line numbers, skipping blank lines and trimming line ends", () => {
    const text = [
      "https://app.example.com/cb", // 1
      "", // 2
      "  https://app.example.com/other  ", // 3
      "https://app.example.com/c b", // 4
      "http://app.example.com/cb\r", // 5 (CRLF)
      "   ", // 6
      "https://app.example.com/x#frag", // 7
    ].join("\n");
    const batch = checkRedirectUris(text, CTX.web);
    expect(batch.results.map((r) => [r.line, r.uri, r.check.ok ? "ok" : r.check.rule])).toEqual([
      [1, "https://app.example.com/cb", "ok"],
      [3, "https://app.example.com/other", "ok"],
      [4, "https://app.example.com/c b", "whitespace_or_control"],
      [5, "http://app.example.com/cb", "http_not_native"],
      [7, "https://app.example.com/x#frag", "fragment"],
    ]);
    expect(batch.count).toBe(5);
    expect(batch.ok).toBe(false);
    expect(batch.uris).toEqual(["https://app.example.com/cb", "https://app.example.com/other"]);
  });

  it("counts lines across \\r\\n, \\n and \\r", () => {
    const batch = checkRedirectUris("https://a.example.com/1\r\n\r\nhttps://a.example.com/2\rhttps://a.example.com/3\n", CTX.web);
    expect(batch.results.map((r) => r.line)).toEqual([1, 3, 4]);
    expect(batch.ok).toBe(true);
  });

  it("flags duplicates: later occurrences fail, every line is listed", () => {
    const text = ["https://app.example.com/cb", "https://app.example.com/other", "https://app.example.com/cb", " https://app.example.com/cb"].join("\n");
    const batch = checkRedirectUris(text, CTX.web);
    expect(batch.duplicates).toEqual([{ uri: "https://app.example.com/cb", lines: [1, 3, 4] }]);
    expect(batch.results.map((r) => (r.check.ok ? "ok" : r.check.rule))).toEqual(["ok", "ok", "duplicate", "duplicate"]);
    expect(batch.results[2]!.check.message).toContain("line 1");
    expect(batch.ok).toBe(false);
    expect(batch.uris).toEqual(["https://app.example.com/cb", "https://app.example.com/other"]);
  });

  it("URIs differing only in case or trailing slash are not duplicates (exact matching), but each is checked", () => {
    const batch = checkRedirectUris("https://app.example.com/cb\nhttps://app.example.com/Cb\nhttps://app.example.com/cb/", CTX.web);
    expect(batch.duplicates).toEqual([]);
    expect(batch.ok).toBe(true);
  });

  it("an invalid duplicate keeps its own rule", () => {
    const batch = checkRedirectUris("https://a.example.com/cb#x\nhttps://a.example.com/cb#x", CTX.web);
    expect(batch.results.map((r) => r.check.rule)).toEqual(["fragment", "fragment"]);
    expect(batch.duplicates).toEqual([{ uri: "https://a.example.com/cb#x", lines: [1, 2] }]);
  });

  it(`accepts ${MAX_REDIRECT_URIS} URIs and refuses ${MAX_REDIRECT_URIS + 1}`, () => {
    const uris = (n: number) => Array.from({ length: n }, (_, i) => `https://app.example.com/cb${i}`).join("\n");
    const atLimit = checkRedirectUris(uris(MAX_REDIRECT_URIS), CTX.web);
    expect(atLimit).toMatchObject({ ok: true, tooMany: false, count: MAX_REDIRECT_URIS });
    expect(atLimit.message).toBeUndefined();
    const over = checkRedirectUris(uris(MAX_REDIRECT_URIS + 1) + "\n\n", CTX.web);
    expect(over).toMatchObject({ ok: false, tooMany: true, count: MAX_REDIRECT_URIS + 1 });
    expect(over.message).toContain(String(MAX_REDIRECT_URIS));
    expect(over.results.every((r) => r.check.ok)).toBe(true);
  });

  it("blank lines do not count toward the limit", () => {
    const text = Array.from({ length: MAX_REDIRECT_URIS }, (_, i) => `https://app.example.com/cb${i}\n\n   `).join("\n");
    expect(checkRedirectUris(text, CTX.web)).toMatchObject({ ok: true, count: MAX_REDIRECT_URIS });
  });

  it("is ok when every line passes; warnings do not fail the batch", () => {
    const batch = checkRedirectUris("http://127.0.0.1/cb\nhttp://localhost:8080/cb\ncom.example.app:/cb\n", CTX.native);
    expect(batch.ok).toBe(true);
    expect(batch.results[1]!.check.warning).toBeTruthy();
    expect(batch.uris).toHaveLength(3);
  });

  it("an empty paste is ok with nothing to store (whether one is required is the caller's call)", () => {
    expect(checkRedirectUris("\n  \n", CTX.web)).toMatchObject({ ok: true, count: 0, results: [], uris: [] });
  });

  it("applies the context: regulated mode and m2m", () => {
    const reg = checkRedirectUris("https://app.example.com/cb\nhttp://127.0.0.1/cb", CTX.rNative);
    expect(reg.results.map((r) => r.check.rule)).toEqual([undefined, "regulated_http"]);
    expect(reg.ok).toBe(false);
    const m2m = checkRedirectUris("https://app.example.com/cb", CTX.m2m);
    expect(m2m.results[0]!.check.rule).toBe("no_redirects_for_m2m");
    expect(m2m.ok).toBe(false);
    expect(checkRedirectUris("", CTX.m2m).ok).toBe(true);
  });
});
