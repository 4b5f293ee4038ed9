// OAuth redirect URI rules: validation at registration and exact matching at authorization.
//
// Pure (no database, no I/O, no Node built-ins), so the console's forms can run the same checks
// in the browser that the server enforces.
//
// Sources: RFC 6749 §3.1.2 (absolute URI, no fragment), RFC 9700 (OAuth 2.0 Security BCP: §2.1
// exact string matching, §2.6 no "http" except native loopback, §4.1 redirect URI attacks),
// RFC 8252 (native apps: §7.1 private-use schemes, §7.3 loopback with any port, §8.3 "localhost"
// NOT RECOMMENDED), OAuth 2.1, RFC 3986 (URI syntax). Regulated mode follows FAPI, which requires
// https redirect URIs.
//
// Principles:
// • Registration is strict so that exact matching stays meaningful: the string an operator
//   registers is what the authorization request must present, byte for byte. Anything the WHATWG
//   URL parser would silently rewrite (upper-case host, default port, "127.1", "%2e%2e", backslash,
//   "https:evil.com", stripped tabs/newlines…) is refused with a message saying what to write
//   instead, never normalised for the operator.
// • The WHATWG parser (global URL) is used only as a cross-check: every decision is taken on the
//   raw string, and a URI whose parsed form differs from what was written is refused.
// • Matching never normalises. The single exception (RFC 8252 §7.3, RFC 9700 §2.1): a native
//   client's loopback IP redirect URI (http://127.0.0.1 or http://[::1]) matches any port; the port
//   is cut out of both strings by hand and everything else must be identical.

export type ClientType = "web" | "spa" | "native" | "m2m";

export interface RedirectRuleContext {
  clientType: ClientType;
  /** Regulated (FAPI-style) tenant: https only, no loopback, no localhost, no private-use schemes. */
  regulated: boolean;
  /** Only changes wording ("Post-logout redirect URI …"); the rules are the same. */
  kind?: "redirect" | "post_logout";
}

export type RedirectRule =
  | "empty"
  | "too_long"
  | "whitespace_or_control"
  | "encoded_control"
  | "backslash"
  | "fragment"
  | "wildcard"
  | "not_absolute"
  | "dangerous_scheme"
  | "unsupported_scheme"
  | "uppercase_scheme"
  | "userinfo"
  | "invalid_host"
  | "idn_not_ascii"
  | "idn_mixed_script"
  | "idn_confusable"
  | "trailing_dot"
  | "uppercase_host"
  | "localhost_name"
  | "invalid_port"
  | "default_port"
  | "http_not_native"
  | "http_not_loopback"
  | "custom_scheme_not_reverse_domain"
  | "custom_scheme_not_native"
  | "invalid_character"
  | "invalid_percent_encoding"
  | "encoded_unreserved"
  | "path_traversal"
  | "reserved_query_param"
  | "no_redirects_for_m2m"
  | "regulated_http"
  | "regulated_localhost"
  | "regulated_custom_scheme"
  | "not_canonical"
  /** Only from checkRedirectUris: the same URI appears on an earlier line of the batch. */
  | "duplicate";

export interface RedirectCheck {
  ok: boolean;
  /** Set when ok is false. */
  rule?: RedirectRule;
  /** Set when ok is false: what is wrong, why, and what to write instead. */
  message?: string;
  /** Accepted, but worth telling the operator (e.g. "localhost" instead of 127.0.0.1). */
  warning?: string;
}

export const MAX_REDIRECT_URI_LENGTH = 2000;
/** Most redirect URIs one client may register (and one bulk paste may contain). */
export const MAX_REDIRECT_URIS = 100;

/** Query parameters the authorization server itself appends to the redirect (code, implicit,
 *  hybrid, JARM, RFC 9207, OIDC session management). A registered URI carrying one of them
 *  could shadow or be confused with the real response. Compared case-insensitively. */
export const RESERVED_QUERY_PARAMS: readonly string[] = [
  "code",
  "state",
  "error",
  "error_description",
  "error_uri",
  "iss",
  "id_token",
  "access_token",
  "token_type",
  "expires_in",
  "session_state",
  "response",
];

/** Schemes that can run script, read local data or stay inside the browser. */
const DANGEROUS_SCHEMES = new Set([
  "javascript",
  "vbscript",
  "livescript",
  "data",
  "file",
  "blob",
  "about",
  "filesystem",
  "view-source",
  "chrome",
  "chrome-extension",
  "moz-extension",
  "ms-browser-extension",
  "resource",
  "jar",
  "mhtml",
  "intent",
  "content",
]);

/** Well-known schemes that are not script-capable but can never receive an OAuth redirect. */
const UNSUPPORTED_SCHEMES = new Set([
  "ftp",
  "ftps",
  "sftp",
  "ws",
  "wss",
  "mailto",
  "tel",
  "sms",
  "urn",
  "ldap",
  "ssh",
  "git",
  "gopher",
  "news",
  "nntp",
  "irc",
  "telnet",
]);

// ── small helpers ──────────────────────────────────────────────────────────────────────────────

function what(ctx: { kind?: "redirect" | "post_logout" }): string {
  return ctx.kind === "post_logout" ? "post-logout redirect URI" : "redirect URI";
}
function What(ctx: { kind?: "redirect" | "post_logout" }): string {
  return ctx.kind === "post_logout" ? "Post-logout redirect URI" : "Redirect URI";
}

function refuse(rule: RedirectRule, message: string): RedirectCheck {
  return { ok: false, rule, message };
}

/** Shows an offending character in a message without printing it raw. */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return cp > 0x20 && cp < 0x7f ? `“${ch}”` : hex;
}

// C0 controls, DEL, C1 controls, every Unicode space/line/paragraph separator, format characters
// (zero-width, bidi overrides, BOM, soft hyphen) and anything JavaScript calls whitespace.
const WHITESPACE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Z}\s]/u;
// Percent-encoded controls: %00–%1F, %7F, UTF-8 C1 (%C2%80–%C2%9F), U+2028/U+2029 (%E2%80%A8/9).
const ENCODED_CONTROL = /%[01][0-9a-f]|%7f|%c2%[89][0-9a-f]|%e2%80%a[89]/i;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// RFC 3986 path and query characters (pchar / "/" / "?"), "%" checked separately. "*" is refused
// earlier as a wildcard; "[" "]" "\" "{" "}" "|" "^" "`" '"' "<" ">" and non-ASCII are not URI
// characters and the WHATWG parser would rewrite them.
const PATH_QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const REVERSE_DOMAIN_SCHEME = /^[a-z][a-z0-9-]*(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

/** Checks every URI, registered or presented, must pass before anything else. */
function basicSafety(uri: string, ctx: { kind?: "redirect" | "post_logout" }): RedirectCheck | null {
  if (typeof uri !== "string" || uri.trim() === "") return refuse("empty", `${What(ctx)} is empty.`);
  if (uri.length > MAX_REDIRECT_URI_LENGTH) {
    return refuse(
      "too_long",
      `${What(ctx)} is ${uri.length} characters long; the limit is ${MAX_REDIRECT_URI_LENGTH}.`,
    );
  }
  const ws = WHITESPACE_OR_CONTROL.exec(uri);
  if (ws) {
    return refuse(
      "whitespace_or_control",
      `${What(ctx)} contains whitespace or an invisible control character (${describeChar(ws[0])} at position ${ws.index + 1}); ` +
        `URL parsers silently strip or rewrite these, so they are not allowed — percent-encode a space as %20.`,
    );
  }
  const enc = ENCODED_CONTROL.exec(uri);
  if (enc) {
    return refuse(
      "encoded_control",
      `${What(ctx)} contains a percent-encoded control character (“${enc[0]}”), a classic header/response-splitting payload; remove it.`,
    );
  }
  if (uri.includes("\\")) {
    return refuse(
      "backslash",
      `${What(ctx)} contains a backslash (\\). Browsers read “\\” as “/”, so “https:\\\\evil.com” or “\\\\evil.com” can point somewhere other than it seems; use forward slashes.`,
    );
  }
  if (uri.includes("#")) {
    return refuse(
      "fragment",
      `Fragments (#…) are not allowed in ${what(ctx)}s (RFC 6749 §3.1.2); remove everything from “#” on.`,
    );
  }
  if (uri.includes("*")) {
    return refuse(
      "wildcard",
      `Wildcards (*) are not allowed: ${what(ctx)}s are matched by exact string comparison (RFC 9700 §2.1); register each URI in full.`,
    );
  }
  return null;
}

/** The host as the WHATWG parser would serialise it, or null if it refuses the host. */
function whatwgHostname(host: string): string | null {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return null;
  }
}

// ── IDN: punycode decoding (RFC 3492) and a mixed-script / whole-script confusable check ──────

function punycodeDecode(input: string): string | null {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const adapt = (delta: number, numPoints: number, first: boolean): number => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = Math.floor(delta / (base - tMin));
      k += base;
    }
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  const digit = (c: number): number =>
    c >= 0x30 && c <= 0x39 ? c - 22 : c >= 0x41 && c <= 0x5a ? c - 0x41 : c >= 0x61 && c <= 0x7a ? c - 0x61 : base;

  const output: number[] = [];
  const delim = input.lastIndexOf("-");
  for (let j = 0; j < Math.max(delim, 0); j++) {
    const c = input.charCodeAt(j);
    if (c >= 0x80) return null;
    output.push(c);
  }
  let n = 128, i = 0, bias = 72;
  for (let idx = delim > 0 ? delim + 1 : 0; idx < input.length; ) {
    const oldI = i;
    let w = 1;
    for (let k = base; ; k += base) {
      if (idx >= input.length) return null;
      const d = digit(input.charCodeAt(idx++));
      if (d >= base || d > Math.floor((0x7fffffff - i) / w)) return null;
      i += d * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (d < t) break;
      if (w > Math.floor(0x7fffffff / (base - t))) return null;
      w *= base - t;
    }
    const len = output.length + 1;
    bias = adapt(i - oldI, len, oldI === 0);
    if (Math.floor(i / len) > 0x10ffff - n) return null;
    n += Math.floor(i / len);
    i %= len;
    output.splice(i, 0, n);
    i++;
  }
  try {
    return String.fromCodePoint(...output);
  } catch {
    return null;
  }
}

const SCRIPTS: readonly [string, RegExp][] = [
  "Latin", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Devanagari",
  "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
  "Thai", "Lao", "Tibetan", "Myanmar", "Georgian", "Hangul", "Ethiopic", "Cherokee",
  "Canadian_Aboriginal", "Khmer", "Mongolian", "Hiragana", "Katakana", "Bopomofo", "Han", "Tifinagh",
  "Coptic", "Glagolitic", "Runic", "Ogham", "Lisu", "Vai", "Bamum", "Nko",
].map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, "u")] as [string, RegExp]);
const COMMON_OR_INHERITED = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** UTS #39 "highly restrictive": one script, or Latin with the CJK combinations. */
const ALLOWED_SCRIPT_MIXES: readonly (readonly string[])[] = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

function scriptsOf(label: string): Set<string> {
  const scripts = new Set<string>();
  for (const ch of label) {
    if (COMMON_OR_INHERITED.test(ch)) continue;
    scripts.add(SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? "Other");
  }
  return scripts;
}

// Cyrillic and Greek letters that render like lower-case Latin ones. A label written only with
// these (e.g. "аррӏе", xn--80ak6aa92e) under an ASCII top-level domain is a whole-script look-alike
// of a Latin name (the same test browsers use before showing such a name in Unicode).
const LATIN_LOOKALIKES = new Set([..."аеорсухѕіјһӏԁԛԝοαρνιυ"]);

function checkIdnLabel(label: string, asciiTld: boolean, ctx: RedirectRuleContext): RedirectCheck | null {
  const decoded = punycodeDecode(label.slice(4));
  if (decoded === null) {
    return refuse("invalid_host", `“${label}” is not valid punycode; check the host name of the ${what(ctx)}.`);
  }
  const scripts = scriptsOf(decoded);
  if (scripts.size > 1 && !ALLOWED_SCRIPT_MIXES.some((mix) => [...scripts].every((s) => mix.includes(s)))) {
    return refuse(
      "idn_mixed_script",
      `The host label “${label}” decodes to “${decoded}”, which mixes scripts (${[...scripts].join(", ")}) — a typical look-alike of another domain. Use the real domain name.`,
    );
  }
  const letters = [...decoded].filter((ch) => /\p{L}/u.test(ch));
  if (asciiTld && letters.length > 0 && letters.every((ch) => LATIN_LOOKALIKES.has(ch))) {
    return refuse(
      "idn_confusable",
      `The host label “${label}” decodes to “${decoded}”, written only with letters that look like Latin ones — a look-alike of another domain. Use the real domain name.`,
    );
  }
  return null;
}

// ── host, port, path and query ─────────────────────────────────────────────────────────────────

interface Authority {
  host: string;
  /** The text after the host's ":" — null when there is no ":". */
  port: string | null;
}

function splitAuthority(authority: string): Authority | "bad" {
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return "bad";
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return "bad";
    return { host: authority.slice(0, close + 1), port: after === "" ? null : after.slice(1) };
  }
  const colon = authority.indexOf(":");
  return colon < 0 ? { host: authority, port: null } : { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

/** Host syntax after the ASCII / case / trailing-dot checks: IP literal or LDH name, canonical. */
function checkHostSyntax(host: string, ctx: RedirectRuleContext): RedirectCheck | null {
  const parsed = whatwgHostname(host);
  if (host.startsWith("[")) {
    if (!/^\[[0-9a-f:.]+\]$/.test(host) || parsed === null) {
      return refuse("invalid_host", `“${host}” is not a valid IPv6 address literal.`);
    }
    if (parsed !== host) {
      return refuse("invalid_host", `Write the IPv6 address in its canonical form, “${parsed}”, not “${host}”: exact matching compares the text as written.`);
    }
    return null;
  }
  const labels = host.split(".");
  const last = labels[labels.length - 1] ?? "";
  if (/^(?:[0-9]+|0x[0-9a-f]*)$/.test(last)) {
    // The WHATWG parser reads anything ending in a number as IPv4 ("127.1", "0x7f.1", "2130706433").
    const canonical = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
    if (!canonical.test(host) || parsed !== host) {
      return refuse(
        "invalid_host",
        parsed
          ? `“${host}” is an unusual spelling of the IP address ${parsed}; write it as four decimal numbers (“${parsed}”).`
          : `“${host}” is not a valid host: it ends in a number but is not an IPv4 address.`,
      );
    }
    return null;
  }
  if (host.length > 253 || labels.some((l) => !LDH_LABEL.test(l))) {
    return refuse(
      "invalid_host",
      `“${host}” is not a valid host name: use letters, digits and hyphens in dot-separated labels (no empty labels, underscores, “%” or labels starting or ending with “-”).`,
    );
  }
  if (labels.length < 2) {
    return refuse(
      "invalid_host",
      `“${host}” is a single-label host name, which resolves differently on every network (DNS search domains); use a fully qualified domain name.`,
    );
  }
  if (parsed !== host) {
    return refuse("invalid_host", `“${host}” is not a valid host name${parsed ? ` (it would be read as “${parsed}”)` : ""}.`);
  }
  const asciiTld = !last.startsWith("xn--");
  for (const label of labels) {
    if (label.startsWith("xn--")) {
      const idn = checkIdnLabel(label, asciiTld, ctx);
      if (idn) return idn;
    }
  }
  return null;
}

function checkPort(port: string, scheme: "http" | "https", ctx: RedirectRuleContext): RedirectCheck | null {
  if (port === "") {
    return refuse("invalid_port", `The ${what(ctx)} has a “:” after the host but no port; remove the colon.`);
  }
  if (!/^[0-9]+$/.test(port)) return refuse("invalid_port", `“${port}” is not a port number.`);
  if (port.startsWith("0")) {
    return refuse("invalid_port", `Write the port without leading zeros (“${port}” would be read as ${Number(port)}).`);
  }
  if (Number(port) > 65535) return refuse("invalid_port", `Port ${port} is out of range (1–65535).`);
  const def = scheme === "https" ? "443" : "80";
  if (port === def) {
    return refuse(
      "default_port",
      `Remove the default port “:${def}” from the ${what(ctx)}: the URL parser drops it, and exact matching would then fail for the form the client actually sends.`,
    );
  }
  return null;
}

/** Shared by every scheme: `rest` is what follows the authority (or "scheme:"), "" or "/…" or "?…". */
function checkPathAndQuery(rest: string, ctx: RedirectRuleContext): RedirectCheck | null {
  if (!PATH_QUERY_CHARS.test(rest)) {
    const bad = [...rest].find((ch) => !PATH_QUERY_CHARS.test(ch)) ?? "";
    const cp = bad.codePointAt(0) ?? 0;
    return refuse(
      "invalid_character",
      cp > 0x7f
        ? `The ${what(ctx)} contains the non-ASCII character “${bad}”; percent-encode it (“${encodeURIComponent(bad)}”).`
        : `The ${what(ctx)} contains “${bad}”, which is not allowed unencoded in a URI (RFC 3986); percent-encode it (“%${cp.toString(16).toUpperCase().padStart(2, "0")}”).`,
    );
  }
  for (let i = rest.indexOf("%"); i >= 0; i = rest.indexOf("%", i + 1)) {
    if (!/^%[0-9A-Fa-f]{2}/.test(rest.slice(i, i + 3))) {
      return refuse(
        "invalid_percent_encoding",
        `The ${what(ctx)} contains “%” not followed by two hexadecimal digits; write a literal “%” as %25.`,
      );
    }
  }
  const q = rest.indexOf("?");
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? null : rest.slice(q + 1);
  for (const segment of path.split("/")) {
    const dots = segment.replace(/%2e/gi, ".");
    if (dots === "." || dots === "..") {
      return refuse(
        "path_traversal",
        `The ${what(ctx)} path contains a dot segment (“${segment}”); “/./”, “/../” and their encoded forms (%2e) are path traversal and are rewritten by URL parsers. Register the resolved path.`,
      );
    }
  }
  for (const m of rest.matchAll(/%([0-9A-Fa-f]{2})/g)) {
    const ch = String.fromCharCode(parseInt(m[1]!, 16));
    if (/^[A-Za-z0-9\-._~]$/.test(ch)) {
      return refuse(
        "encoded_unreserved",
        `“${m[0]}” percent-encodes “${ch}”, which never needs encoding (RFC 3986 §2.3); write “${ch}” so exact matching compares what clients really send.`,
      );
    }
  }
  if (query !== null) {
    for (const pair of query.split("&")) {
      const rawName = pair.split("=", 1)[0] ?? "";
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, " "));
      } catch {
        // Invalid UTF-8 in the name: compare the raw text.
      }
      if (RESERVED_QUERY_PARAMS.includes(name.toLowerCase())) {
        return refuse(
          "reserved_query_param",
          `The query parameter “${rawName}” is reserved: the authorization server adds “${name.toLowerCase()}” to the response itself, and a registered value could be confused with it (RFC 9700 §4.1). Remove it or rename it.`,
        );
      }
    }
  }
  return null;
}

// ── registration ───────────────────────────────────────────────────────────────────────────────

/** Validates one redirect (or post-logout redirect) URI for registration. Never trims: the caller
 *  decides what the operator typed (checkRedirectUris trims line ends of a pasted list). */
export function checkRedirectUri(uri: string, ctx: RedirectRuleContext): RedirectCheck {
  if (ctx.clientType === "m2m") {
    return refuse(
      "no_redirects_for_m2m",
      `Machine-to-machine clients use the client credentials grant and have no ${what(ctx)}s; remove it, or use a web, SPA or native client.`,
    );
  }
  const basic = basicSafety(uri, ctx);
  if (basic) return basic;

  const schemeMatch = SCHEME.exec(uri);
  if (!schemeMatch) {
    return refuse(
      "not_absolute",
      `${What(ctx)}s must be absolute URIs with a scheme, like https://app.example.com/callback (RFC 6749 §3.1.2); “${uri.slice(0, 40)}” is relative or has no scheme.`,
    );
  }
  const rawScheme = schemeMatch[1]!;
  const scheme = rawScheme.toLowerCase();
  const rest = uri.slice(rawScheme.length + 1);

  if (DANGEROUS_SCHEMES.has(scheme)) {
    return refuse(
      "dangerous_scheme",
      `The “${scheme}:” scheme is not allowed for ${what(ctx)}s: it can run script or reach local data. Use https (or, for native apps, a reverse-domain private-use scheme).`,
    );
  }
  if (UNSUPPORTED_SCHEMES.has(scheme)) {
    return refuse(
      "unsupported_scheme",
      scheme === "urn"
        ? `“${uri.slice(0, 40)}” is not allowed: out-of-band (“urn:ietf:wg:oauth:2.0:oob”) and other URN redirects are not supported (RFC 8252, OAuth 2.1). Use a loopback or private-use scheme redirect for native apps.`
        : `The “${scheme}:” scheme cannot receive an OAuth redirect. Use https (or, for native apps, a reverse-domain private-use scheme).`,
    );
  }
  if (/^[0-9]+(?:[/?]|$)/.test(rest)) {
    // "evil.com:8080/cb", "localhost:3000/cb": a host and port with the scheme missing.
    return refuse(
      "not_absolute",
      `“${uri.slice(0, 40)}” looks like a host and port without a scheme; write it as an absolute URI, e.g. https://${uri.slice(0, 40)} (RFC 6749 §3.1.2).`,
    );
  }
  if (rawScheme !== scheme) {
    return refuse(
      "uppercase_scheme",
      `Write the scheme in lower case (“${scheme}:”, not “${rawScheme}:”): exact matching compares the text as written.`,
    );
  }
  return scheme === "https" || scheme === "http" ? checkWebUri(uri, scheme, rest, ctx) : checkCustomSchemeUri(uri, scheme, rest, ctx);
}

function checkWebUri(uri: string, scheme: "http" | "https", rest: string, ctx: RedirectRuleContext): RedirectCheck {
  if (!rest.startsWith("//")) {
    return refuse(
      "not_absolute",
      `“${scheme}:” must be followed by “//” and a host (e.g. ${scheme}://app.example.com/callback); browsers read “${uri.slice(0, 40)}” as relative to the current page or guess the host (RFC 6749 §3.1.2).`,
    );
  }
  const afterSlashes = rest.slice(2);
  const end = afterSlashes.search(/[/?]/);
  const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
  const pathAndQuery = end < 0 ? "" : afterSlashes.slice(end);

  if (authority.includes("@")) {
    return refuse(
      "userinfo",
      `User information (“…@”) is not allowed in ${what(ctx)}s: in “${uri.slice(0, 60)}” the real host is what follows the “@”, a classic way to disguise the destination (RFC 9700 §4.1).`,
    );
  }
  const split = splitAuthority(authority);
  if (split === "bad" || split.host === "") {
    return refuse("invalid_host", `The ${what(ctx)} has no valid host after “${scheme}://”.`);
  }
  const { host, port } = split;

  if (/[^\x00-\x7f]/.test(host)) {
    const ascii = whatwgHostname(host);
    return refuse(
      "idn_not_ascii",
      `The host “${host}” contains non-ASCII characters, which is how look-alike domains (e.g. a Cyrillic “а” for a Latin “a”) are made. ` +
        `Write internationalised domain names in their ASCII (punycode) form${ascii ? `, here “${ascii}” — and check it is really the domain you mean` : ""}.`,
    );
  }

  const lower = host.toLowerCase();
  const bare = lower.endsWith(".") ? lower.slice(0, -1) : lower;
  const isLocalhost = bare === "localhost" || bare.endsWith(".localhost");
  let warning: string | undefined;
  // Regulated mode is named only where it is the reason: http loopback for native apps, which the
  // standard rules allow. Everything else refused here is refused for every tenant, and says so.
  const nativeLoopbackHttp = ctx.clientType === "native" && scheme === "http" && (isLocalhost || LOOPBACK_HOSTS.has(host));
  if (isLocalhost) {
    if (ctx.regulated && nativeLoopbackHttp) {
      return refuse(
        "regulated_localhost",
        `“localhost” is not allowed in regulated mode: ${what(ctx)}s must use https on a real host name (regulated mode).`,
      );
    }
    if (ctx.clientType !== "native" || scheme !== "http") {
      return refuse(
        "localhost_name",
        ctx.clientType === "native"
          ? `“localhost” is only accepted as http://localhost for native apps; better still, use the loopback IP literal http://127.0.0.1:{port}/… (RFC 8252 §7.3, §8.3).`
          : `“localhost” is not allowed for ${ctx.clientType === "web" ? "web" : "single-page"} apps: the ${what(ctx)} must be a public https URL. Loopback redirects are for native apps only (RFC 8252 §8.3).`,
      );
    }
    warning =
      `“localhost” is accepted, but RFC 8252 §8.3 recommends the loopback IP literal (http://127.0.0.1:{port}/… or http://[::1]:{port}/…): ` +
      `a name can resolve to something other than the loopback interface or be blocked by firewalls, and only IP literals match any port.`;
  }

  if (scheme === "http") {
    if (ctx.regulated && nativeLoopbackHttp) {
      return refuse(
        "regulated_http",
        `“http:” is not allowed in regulated mode, not even for loopback: ${what(ctx)}s must use https (regulated mode).`,
      );
    }
    if (ctx.clientType !== "native") {
      return refuse(
        "http_not_native",
        `“http:” ${what(ctx)}s are only allowed for native apps on the loopback interface (RFC 9700 §2.6, RFC 8252 §7.3); ${ctx.clientType === "web" ? "web" : "single-page"} apps must use https.`,
      );
    }
  }

  if (host.endsWith(".")) {
    return refuse(
      "trailing_dot",
      `Remove the trailing dot from the host (“${host.slice(0, -1)}”, not “${host}”): “example.com.” and “example.com” are the same site but different strings for exact matching.`,
    );
  }
  if (host !== lower) {
    return refuse(
      "uppercase_host",
      `Write the host in lower case (“${lower}”, not “${host}”): host names are case-insensitive and URL parsers lower-case them, so exact matching needs the lower-case form.`,
    );
  }
  if (host !== "localhost") {
    const syntax = checkHostSyntax(host, ctx);
    if (syntax) return syntax;
  }
  const isLoopbackLiteral = LOOPBACK_HOSTS.has(host);
  if (scheme === "http" && !isLocalhost && !isLoopbackLiteral) {
    return refuse(
      "http_not_loopback",
      `“http:” is only allowed for the loopback IP literals 127.0.0.1 and [::1] (RFC 8252 §7.3, RFC 9700 §2.6); “${host}” must use https.`,
    );
  }
  if (port !== null) {
    const portCheck = checkPort(port, scheme, ctx);
    if (portCheck) return portCheck;
  }
  const pq = checkPathAndQuery(pathAndQuery, ctx);
  if (pq) return pq;

  // Cross-check with the WHATWG parser: what it serialises must be exactly what was written (it
  // adds "/" for an empty path and encodes "'" in special-scheme queries; nothing else may change).
  let href: string;
  try {
    href = new URL(uri).href;
  } catch {
    return refuse("not_canonical", `The ${what(ctx)} is not a valid URL.`);
  }
  const expectedPath = pathAndQuery.startsWith("/") ? pathAndQuery : `/${pathAndQuery}`;
  const q = expectedPath.indexOf("?");
  const expected =
    `${scheme}://${authority}` + (q < 0 ? expectedPath : expectedPath.slice(0, q) + expectedPath.slice(q).replace(/'/g, "%27"));
  if (href !== expected) {
    return refuse(
      "not_canonical",
      `URL parsers read this ${what(ctx)} as “${href}”, which differs from what was written; register the URI in that exact form if it is what you mean.`,
    );
  }

  if (scheme === "http" && isLoopbackLiteral && port !== null) {
    warning = `The port is ignored when matching: native apps may use any port on the loopback interface at authorization time (RFC 8252 §7.3).`;
  } else if (scheme === "https" && (host.startsWith("[") || /^[0-9.]+$/.test(host))) {
    warning = `This ${what(ctx)} uses an IP address; certificates for IP addresses are rare and addresses change — prefer a host name.`;
  }
  return warning ? { ok: true, warning } : { ok: true };
}

function checkCustomSchemeUri(uri: string, scheme: string, rest: string, ctx: RedirectRuleContext): RedirectCheck {
  if (!REVERSE_DOMAIN_SCHEME.test(scheme)) {
    return refuse(
      "custom_scheme_not_reverse_domain",
      `Private-use URI schemes must be a reversed domain name you control, with at least one dot (e.g. “com.example.app:/callback”), so apps cannot claim each other's schemes (RFC 8252 §7.1); “${scheme}:” is not.`,
    );
  }
  if (ctx.regulated) {
    return refuse(
      "regulated_custom_scheme",
      `Private-use URI schemes (“${scheme}:”) are not allowed in regulated mode: ${what(ctx)}s must use https — use a claimed https link (Universal Link / App Link, RFC 8252 §7.2) (regulated mode).`,
    );
  }
  if (ctx.clientType !== "native") {
    return refuse(
      "custom_scheme_not_native",
      `Private-use URI schemes (“${scheme}:”) are only for native apps (RFC 8252 §7.1); ${ctx.clientType === "web" ? "web" : "single-page"} apps must use https.`,
    );
  }
  if (!rest.startsWith("/")) {
    return refuse(
      "not_absolute",
      `Write private-use scheme ${what(ctx)}s with a path after the colon, like “${scheme}:/callback” (RFC 8252 §7.1).`,
    );
  }
  let pathAndQuery = rest;
  if (rest.startsWith("//")) {
    const afterSlashes = rest.slice(2);
    const end = afterSlashes.search(/[/?]/);
    const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
    pathAndQuery = end < 0 ? "" : afterSlashes.slice(end);
    if (authority.includes("@")) {
      return refuse("userinfo", `User information (“…@”) is not allowed in ${what(ctx)}s.`);
    }
    if (authority.includes(":")) {
      return refuse("invalid_port", `Private-use scheme ${what(ctx)}s take no port; prefer the form “${scheme}:/callback” (RFC 8252 §7.1).`);
    }
    if (/[^\x00-\x7f]/.test(authority)) {
      return refuse("idn_not_ascii", `The authority “${authority}” contains non-ASCII characters; prefer the form “${scheme}:/callback” (RFC 8252 §7.1).`);
    }
    if (authority !== authority.toLowerCase()) {
      return refuse("uppercase_host", `Write the authority in lower case (“${authority.toLowerCase()}”): exact matching compares the text as written.`);
    }
    if (authority !== "" && !authority.split(".").every((l) => LDH_LABEL.test(l))) {
      return refuse("invalid_host", `“${authority}” is not a valid authority; prefer the form “${scheme}:/callback” (RFC 8252 §7.1).`);
    }
  }
  const pq = checkPathAndQuery(pathAndQuery, ctx);
  if (pq) return pq;
  let href: string;
  try {
    href = new URL(uri).href;
  } catch {
    return refuse("not_canonical", `The ${what(ctx)} is not a valid URL.`);
  }
  if (href !== uri) {
    return refuse(
      "not_canonical",
      `URL parsers read this ${what(ctx)} as “${href}”, which differs from what was written; register the URI in that exact form if it is what you mean.`,
    );
  }
  return { ok: true };
}

// ── bulk (one URI per line) ────────────────────────────────────────────────────────────────────

export interface RedirectUriLineResult {
  /** The line with its ends trimmed. */
  uri: string;
  /** 1-based line number in the pasted text (blank lines count). */
  line: number;
  check: RedirectCheck;
}

export interface RedirectUriBatch {
  /** One entry per non-blank line, in order. */
  results: RedirectUriLineResult[];
  /** URIs that appear more than once, with every line they appear on; later occurrences fail
   *  with rule "duplicate" (unless they already fail for another reason). */
  duplicates: { uri: string; lines: number[] }[];
  /** Non-blank lines. */
  count: number;
  /** More than MAX_REDIRECT_URIS non-blank lines. */
  tooMany: boolean;
  /** Batch-level problem (too many URIs), for display above the per-line results. */
  message?: string;
  /** True when every line passed, nothing is duplicated and the limit is kept. An empty batch is
   *  ok: whether a client needs at least one redirect URI is the caller's decision. */
  ok: boolean;
  /** The URIs to store when ok, in order. */
  uris: string[];
}

/** Validates a pasted list, one URI per line. Line ends are trimmed (pasting leaves stray spaces
 *  and "\r"); a URI with whitespace inside is refused, never split or repaired. */
export function checkRedirectUris(lines: string, ctx: RedirectRuleContext): RedirectUriBatch {
  const results: RedirectUriLineResult[] = [];
  const firstLine = new Map<string, number>();
  const dupLines = new Map<string, number[]>();
  lines.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const uri = raw.trim();
    if (uri === "") return;
    const line = i + 1;
    let check = checkRedirectUri(uri, ctx);
    const first = firstLine.get(uri);
    if (first === undefined) {
      firstLine.set(uri, line);
    } else {
      const all = dupLines.get(uri) ?? [first];
      all.push(line);
      dupLines.set(uri, all);
      if (check.ok) {
        check = { ok: false, rule: "duplicate", message: `Duplicate of line ${first}; each ${what(ctx)} is registered once.` };
      }
    }
    results.push({ uri, line, check });
  });
  const count = results.length;
  const tooMany = count > MAX_REDIRECT_URIS;
  const batch: RedirectUriBatch = {
    results,
    duplicates: [...dupLines].map(([uri, ls]) => ({ uri, lines: ls })),
    count,
    tooMany,
    ok: !tooMany && results.every((r) => r.check.ok),
    uris: results.filter((r) => r.check.ok).map((r) => r.uri),
  };
  if (tooMany) {
    batch.message = `${count} ${what(ctx)}s given; a client may register at most ${MAX_REDIRECT_URIS}.`;
  }
  return batch;
}

// ── authorization-time matching ────────────────────────────────────────────────────────────────

/** http://127.0.0.1[:port]<rest> or http://[::1][:port]<rest>, parsed by hand (no URL
 *  normalisation); rest is "" or starts with "/" or "?". Null if not exactly that shape. */
function splitLoopback(uri: string): { host: string; rest: string } | null {
  const m = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([0-9]+))?((?:[/?][^]*)?)$/.exec(uri);
  if (!m) return null;
  const port = m[2];
  if (port !== undefined && (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535)) return null;
  return { host: m[1]!, rest: m[3] ?? "" };
}

/** Does the presented redirect_uri match one of the client's registered URIs? Exact string
 *  comparison, no normalisation; for native clients a loopback IP literal URI matches any port
 *  (RFC 8252 §7.3). A presented (or stored) URI that fails the basic safety checks never matches. */
export function redirectUriMatches(
  registered: readonly string[],
  presented: string,
  ctx: { clientType: ClientType },
): boolean {
  if (ctx.clientType === "m2m") return false;
  if (typeof presented !== "string" || basicSafety(presented, {}) !== null) return false;
  const candidates = registered.filter((r) => typeof r === "string" && basicSafety(r, {}) === null);
  if (candidates.includes(presented)) return true;
  if (ctx.clientType !== "native") return false;
  const p = splitLoopback(presented);
  if (!p) return false;
  return candidates.some((r) => {
    const reg = splitLoopback(r);
    return reg !== null && reg.host === p.host && reg.rest === p.rest;
  });
}
