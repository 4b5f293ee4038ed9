// Process configuration, read once and validated. Every variable is documented in README.md and
// .env.example; nothing else in the code reads process.env for configuration.
import "server-only";
import { z } from "zod";

/** A 256-bit key given as base64 (or base64url); the message never echoes the value. */
const base64Key256 = z
  .string()
  .trim()
  .refine(
    (s) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && Buffer.from(s, "base64").length === 32,
    "must be base64 of exactly 32 random bytes (generate one with: openssl rand -base64 32)",
  );

/** ADR-003: each tenant's token issuer, "{tenant}" replaced by the slug. */
const issuerTemplate = z
  .string()
  .trim()
  .refine((s) => s.includes("{tenant}"), "must contain {tenant} (e.g. https://{tenant}.credo/idp)")
  .refine((s) => {
    try {
      const u = new URL(s.replaceAll("{tenant}", "tenant"));
      return (u.protocol === "https:" || u.protocol === "http:") && !u.search && !u.hash && !s.endsWith("/");
    } catch {
      return false;
    }
  }, "must be an http(s) URL without query, fragment or trailing slash once {tenant} is filled in");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Real PostgreSQL server. Unset: `npm run dev|start` launch embedded PGlite and set it. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * The tables' OWNER, for `npm run db:migrate`, `npm run db:seed` and the e2e setup; never used by
   * the running app. Unset: those commands fall back to DATABASE_URL (README "Database roles").
   */
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  /** The job queue's own connection (login role credo_worker, member of credo_jobs). Default: DATABASE_URL. */
  JOBS_DATABASE_URL: z.string().url().optional(),
  /** Set by the embedded launcher: the database is PGlite (one shared backend session). */
  CREDO_EMBEDDED: z.enum(["0", "1"]).default("0"),
  /** Size of the runtime connection pool. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Redis for rate limits and sign-in throttling; unset = in-process fallback. */
  REDIS_URL: z.string().url().optional(),
  /** Failed sign-ins allowed per e-mail+IP in SIGNIN_THROTTLE_WINDOW_SECONDS before a lockout. */
  SIGNIN_THROTTLE_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(5),
  SIGNIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** OIDC single sign-on for operators; enabled when all three are set. */
  AUTH_OIDC_ISSUER: z.string().url().optional(),
  AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
  AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  AUTH_OIDC_NAME: z.string().min(1).default("SSO"),
  /** Seconds each call to the identity provider (discovery, token, userinfo, jwks) may take. */
  AUTH_OIDC_TIMEOUT_SECONDS: z.coerce.number().min(1).max(120).default(10),
  /**
   * The console's public origin (scheme://host[:port]) — read by Auth.js too. Every absolute URL
   * (OIDC redirect_uri, links in e-mails, WebAuthn RP ID) is derived from it, never from the Host
   * header (server/http/public-origin.ts). Required by `npm start` when SSO is configured.
   */
  AUTH_URL: z
    .string()
    .trim()
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === "https:" || u.protocol === "http:") && u.pathname === "/" && !u.search && !u.hash && !u.username;
      } catch {
        return false;
      }
    }, "must be the console's origin only, e.g. https://console.example.com (no path, query or fragment)")
    .optional(),
  /**
   * Key-encryption key (KEK) wrapping every tenant's data key (server/signing-keys/envelope.ts). Required
   * in production on a real database; elsewhere a fixed, public dev-only KEK stands in.
   */
  KEY_ENCRYPTION_KEY: base64Key256.optional(),
  /** The KEK being retired during a KEK rotation: still accepted for reads until `npm run keys:rewrap-kek` has run. */
  KEY_ENCRYPTION_KEY_PREVIOUS: base64Key256.optional(),
  /** Per-tenant token issuer (`iss`), ADR-003. Tokens, JWKS and discovery documents are bound to it. */
  ISSUER_BASE_URL_TEMPLATE: issuerTemplate.default("https://{tenant}.credo/idp"),
  /** Local data folder: embedded database, dev-only secrets and keys, audit exports (default .data). */
  CREDO_DATA_DIR: z.string().min(1).default(".data"),
  /** Where audit export files are written (per tenant: <dir>/<tenant id>/); default <CREDO_DATA_DIR>/exports. */
  EXPORT_DIR: z.string().min(1).optional(),
  /** Hours an audit export stays downloadable before its file is deleted. */
  EXPORT_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** How often each tenant's audit upkeep runs: export expiry, retention purge, signed checkpoint. */
  AUDIT_MAINTENANCE_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(60),
  /**
   * The platform's signing key (server/platform-keys/): a private Ed25519 JWK as JSON. Signs audit
   * export manifests, audit checkpoints and deletion receipts. Required in production on a real
   * database; elsewhere a dev-only key is generated into CREDO_DATA_DIR.
   */
  PLATFORM_SIGNING_KEY: z.string().min(1).optional(),
  /** Retired platform PUBLIC keys (a JWKS as JSON), still published so older signatures verify. */
  PLATFORM_PREVIOUS_PUBLIC_KEYS: z.string().min(1).optional(),
  /**
   * Outgoing e-mail (invitations, password resets) through nodemailer, e.g.
   * smtp://user:pass@mail.example:587 or smtps://…:465. Unset: messages go to the dev outbox table,
   * readable by security admins in the console (`npm start` on a real database refuses to start).
   */
  SMTP_URL: z.string().url().refine((s) => /^smtps?:\/\//.test(s), "must start with smtp:// or smtps://").optional(),
  /** Sender of the console's e-mail. */
  MAIL_FROM: z.string().min(3).default("Credo Console <no-reply@credo.local>"),
  /**
   * Proxies whose X-Forwarded-For is believed (server/http/client-ip.ts): unset = none (the socket
   * address is the client); a hop count (e.g. 1 behind one load balancer); or IPs/CIDRs, comma-separated.
   */
  TRUSTED_PROXIES: z.string().trim().optional(),
  /** Origins allowed to send state-changing requests with the session cookie (comma-separated); default the public origin. */
  ALLOWED_ORIGINS: z.string().trim().optional(),
  /** Sign-in failures per e-mail from ALL addresses before the account-wide back-off starts (server/auth/throttle.ts). */
  SIGNIN_ACCOUNT_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Fraction of DATABASE_POOL_MAX one tenant's in-flight transactions may hold per instance (server/tenancy/concurrency.ts). */
  TENANT_POOL_SHARE: z.coerce.number().gt(0).max(1).default(0.5),
  /** How long a tenant over its pool share waits for a slot before it is refused (429/503 + Retry-After). */
  TENANT_POOL_WAIT_MS: z.coerce.number().int().min(0).max(30_000).default(2_000),
  /** How often each instance writes its usage counters (server/usage/counters.ts); 0 = only on shutdown and explicit flushes. */
  USAGE_FLUSH_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /** Bearer token for GET /api/metrics; unset = the endpoint answers 404. At least 16 characters. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (e.g. openssl rand -hex 32)").optional(),
  /** Tenants with their own series in the per-tenant metrics; every other tenant is tenant="other". */
  METRICS_TOP_TENANTS: z.coerce.number().int().min(0).max(1000).default(20),
  /** OpenTelemetry: traces are exported (OTLP over HTTP) only when this is set, e.g. http://otel-collector:4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
});

export type Env = z.infer<typeof schema>;

function load(): Env {
  // An empty variable means "unset" (e.g. DATABASE_URL= to force the embedded database).
  const set = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${problems}`);
  }
  return parsed.data;
}

export const env: Env = load();

/** SSO is on when issuer, client id and secret are set — in production only with a public origin (AUTH_URL). */
export function oidcConfigured(e: Env = env): boolean {
  const complete = Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET);
  return complete && (Boolean(e.AUTH_URL) || e.NODE_ENV !== "production");
}
