// The typed policy sections (issue 5): one zod schema per field, with bounds, a default, a label
// for the console and a note saying WHO ENFORCES IT — a setting that is stored but read by nobody
// would be a lie to the operator. Two kinds of consumers:
//   "enforced: <where>"  this codebase reads the effective value and acts on it;
//   CONSUMED             the identity platform reads it through the effective-policy API
//                        (tRPC policies.effective, API-key scope policies.read; README "Policies").
//
// Pure data and zod only: imported by the server (validation, resolution) and by the browser (the
// policies page renders its controls and checks bounds from the same definitions).
import { z } from "zod";

/** Where an override lives. Resolution order: default ← global ← tenant ← workspace. */
export type Level = "global" | "tenant" | "workspace";
export type Source = "default" | Level;
export const LEVELS: readonly Level[] = ["global", "tenant", "workspace"];

export const CONSUMED = "consumed by the identity platform via the effective policy API (policies.effective)";

export type Control =
  | { kind: "int"; min: number; max: number; unit?: string }
  | { kind: "bool" }
  | { kind: "text"; maxLength: number }
  | { kind: "rate" }
  | { kind: "choice"; options: readonly string[] };

/**
 * What the console shows for a field's `enforced` note: who acts on the value, in the operator's
 * words. The code locations stay here and in the README ("Policies"), never on the page.
 */
export function enforcedLabel(enforced: string): string {
  const here = enforced.startsWith("enforced:");
  const platform = enforced.includes(CONSUMED);
  if (here && platform) return "Applied by Credo Console, and read by the identity platform.";
  if (here) return "Applied by Credo Console.";
  return "Read by the identity platform through the effective policy API.";
}

export interface FieldSpec<T = unknown> {
  readonly schema: z.ZodType<T>;
  readonly default: T;
  readonly control: Control;
  readonly label: string;
  readonly help: string;
  /** "enforced: …" or CONSUMED. */
  readonly enforced: string;
}

interface Meta {
  label: string;
  help: string;
  enforced: string;
  unit?: string;
}

const got = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : typeof v === "string" ? "text" : typeof v);

/** A whole number within [min, max]. Messages name the bounds and what was sent. */
export function intSchema(min: number, max: number) {
  const range = { error: (i: { input: unknown }) => `must be between ${min} and ${max} (got ${String(i.input)})` };
  return z
    .number({ error: (i) => `must be a number (got ${got(i.input)})` })
    .min(min, range)
    .max(max, range)
    .int({ error: "must be a whole number" });
}

function int(min: number, max: number, def: number, meta: Meta): FieldSpec<number> {
  return { schema: intSchema(min, max), default: def, control: { kind: "int", min, max, unit: meta.unit }, ...meta };
}

function bool(def: boolean, meta: Meta): FieldSpec<boolean> {
  return { schema: z.boolean({ error: (i) => `must be true or false (got ${got(i.input)})` }), default: def, control: { kind: "bool" }, ...meta };
}

function text(maxLength: number, def: string, meta: Meta): FieldSpec<string> {
  const schema = z
    .string({ error: (i) => `must be text (got ${got(i.input)})` })
    .max(maxLength, { error: (i) => `must be at most ${maxLength} characters (got ${String((i.input as string).length)})` });
  return { schema, default: def, control: { kind: "text", maxLength }, ...meta };
}

function choice<T extends string>(options: readonly [T, ...T[]], def: T, meta: Meta): FieldSpec<T> {
  const schema = z.enum(options as [T, ...T[]], { error: (i) => `must be one of ${options.join(", ")} (got ${String(i.input)})` }) as unknown as z.ZodType<T>;
  return { schema, default: def, control: { kind: "choice", options }, ...meta };
}

/** Requests per window with a burst allowance on top (token bucket), for one surface. */
export const rateLimitSchema = z
  .object(
    {
      requestsPerWindow: intSchema(1, 100_000),
      windowSeconds: intSchema(1, 3600),
      burst: intSchema(0, 10_000),
    },
    { error: (i) => `must be an object { requestsPerWindow, windowSeconds, burst } (got ${got(i.input)})` },
  )
  .strict();
export type RateLimit = z.infer<typeof rateLimitSchema>;

function rate(def: RateLimit, meta: Meta): FieldSpec<RateLimit> {
  return { schema: rateLimitSchema, default: def, control: { kind: "rate" }, ...meta };
}

/** A cross-field rule on one section's effective values; `id` tells rules apart across saves. */
export interface Rule<V> {
  readonly id: string;
  readonly check: (v: V) => string | null;
}

type Fields = Record<string, FieldSpec<never> | FieldSpec<number> | FieldSpec<boolean> | FieldSpec<string> | FieldSpec<RateLimit> | FieldSpec<"off" | "required">>;
export type ValuesOf<F> = { [K in keyof F]: F[K] extends FieldSpec<infer T> ? T : never };

export interface SectionSpec<F extends Fields = Fields> {
  readonly title: string;
  readonly description: string;
  /**
   * Levels that may override this section. Sections whose consumer works per tenant (keys,
   * clients, rate limits, the tenant's audit trail) stop at the tenant: a workspace value would be
   * saved and ignored.
   */
  readonly levels: readonly Level[];
  readonly fields: F;
  readonly rules: readonly Rule<ValuesOf<F>>[];
}

function section<F extends Fields>(s: { title: string; description: string; levels: readonly Level[]; fields: F; rules?: Rule<ValuesOf<F>>[] }): SectionSpec<F> {
  return { ...s, rules: s.rules ?? [] };
}

const ALL: readonly Level[] = LEVELS;
const TENANT_WIDE: readonly Level[] = ["global", "tenant"];
/** The console's own operators: one platform-wide setting, never overridden by a tenant or workspace. */
const GLOBAL_ONLY: readonly Level[] = ["global"];

export const AUTO_PROMOTE_DEFAULT_HOURS = 24;
export const PREVIOUS_KEY_MIN_RETENTION_HOURS = 24;
export const PREVIOUS_KEY_DEFAULT_RETENTION_HOURS = 168;

export const FIXED_SECTIONS = {
  password: section({
    title: "Password policy",
    description: "What end users' passwords must look like.",
    levels: ALL,
    fields: {
      // NIST SP 800-63B: length matters, composition rules much less; hence 12 and 0 classes.
      minLength: int(8, 128, 12, { label: "Minimum length", help: "The shortest password accepted.", enforced: CONSUMED, unit: "characters" }),
      requireClasses: int(0, 4, 0, { label: "Required character classes", help: "How many of lower case, upper case, digits and symbols a password must mix (0 = no rule).", enforced: CONSUMED, unit: "classes" }),
      breachedCheck: bool(true, { label: "Refuse breached passwords", help: "Check new passwords against known breach corpora.", enforced: CONSUMED }),
      history: int(0, 24, 0, { label: "Password history", help: "Previous passwords that may not be reused (0 = none).", enforced: CONSUMED, unit: "passwords" }),
    },
  }),
  sessions: section({
    title: "Sessions and tokens",
    description: "How long end users stay signed in and how long tokens live.",
    levels: ALL,
    fields: {
      sessionLifetimeMinutes: int(5, 43_200, 1440, { label: "Session lifetime", help: "Absolute lifetime of a sign-in session (max 30 days).", enforced: CONSUMED, unit: "minutes" }),
      idleTimeoutMinutes: int(1, 43_200, 60, { label: "Idle timeout", help: "A session without activity ends after this; never longer than the session lifetime.", enforced: CONSUMED, unit: "minutes" }),
      accessTokenTtlSeconds: int(60, 86_400, 900, { label: "Access token lifetime", help: "", enforced: CONSUMED, unit: "seconds" }),
      refreshTokenTtlDays: int(1, 365, 30, { label: "Refresh token lifetime", help: "", enforced: CONSUMED, unit: "days" }),
    },
    rules: [
      {
        id: "sessions.idle-within-session",
        check: (v) =>
          v.idleTimeoutMinutes <= v.sessionLifetimeMinutes
            ? null
            : `sessions.idleTimeoutMinutes (${v.idleTimeoutMinutes}) must not exceed sessions.sessionLifetimeMinutes (${v.sessionLifetimeMinutes}).`,
      },
    ],
  }),
  signInRisk: section({
    title: "Sign-in risk",
    description: "Risk-score thresholds (ADR 001): above the first, a step-up is required; above the second, the sign-in is blocked.",
    levels: ALL,
    fields: {
      stepUpThreshold: int(0, 100, 50, { label: "Step-up threshold", help: "Risk score (0–100) from which a second factor is required.", enforced: CONSUMED, unit: "/ 100" }),
      blockThreshold: int(0, 100, 90, { label: "Block threshold", help: "Risk score (0–100) from which the sign-in is refused.", enforced: CONSUMED, unit: "/ 100" }),
    },
    rules: [
      {
        id: "signInRisk.stepup-below-block",
        check: (v) =>
          v.stepUpThreshold < v.blockThreshold
            ? null
            : `signInRisk.stepUpThreshold (${v.stepUpThreshold}) must be lower than signInRisk.blockThreshold (${v.blockThreshold}).`,
      },
    ],
  }),
  bruteForce: section({
    title: "Brute-force lockout",
    description: "Failed sign-ins that lock an account for a while.",
    levels: ALL,
    fields: {
      attempts: int(1, 100, 5, { label: "Failed attempts", help: "Failures within the window that trigger a lockout.", enforced: CONSUMED, unit: "attempts" }),
      windowMinutes: int(1, 1440, 15, { label: "Window", help: "", enforced: CONSUMED, unit: "minutes" }),
      lockoutMinutes: int(1, 10_080, 15, { label: "Lockout duration", help: "", enforced: CONSUMED, unit: "minutes" }),
    },
  }),
  consent: section({
    title: "Consent",
    description: "The consent screen's text (ADR-003); raise the version when the text changes so users are asked again.",
    levels: ALL,
    fields: {
      text: text(5000, "{app} would like to access your account.", { label: "Consent text", help: "Shown on the consent screen; {app} is the client's name.", enforced: CONSUMED }),
      version: int(1, 1_000_000, 1, { label: "Template version", help: "Users who consented to an older version are asked again.", enforced: CONSUMED }),
      requiredScopesOnly: bool(false, {
        label: "Ask for required scopes only",
        help: "Optional scopes are never requested. Always on in regulated mode.",
        enforced: `${CONSUMED}; forced on in regulated mode by server/policies/resolve.ts`,
      }),
    },
  }),
  dataRetention: section({
    title: "Data retention",
    description: "How long the tenant's audit trail and deleted data are kept.",
    levels: TENANT_WIDE,
    fields: {
      auditRetentionDays: int(30, 3650, 365, {
        label: "Audit retention",
        help: "Audit events older than this are purged from the tenant's trail.",
        enforced: `enforced: server/audit/retention.ts (the console's audit trail); also ${CONSUMED}`,
        unit: "days",
      }),
      deletionGraceDays: int(1, 90, 30, {
        label: "Deletion grace period",
        help: "How long a deletion can still be cancelled before the data is purged.",
        enforced: `enforced: server/deletion/service.ts (tenant deletion); also ${CONSUMED} (user deletion)`,
        unit: "days",
      }),
    },
  }),
  keyRotation: section({
    title: "Signing-key rotation",
    description: "When a staged next signing key is promoted automatically.",
    levels: TENANT_WIDE,
    fields: {
      autoPromoteAfterHours: int(1, 720, AUTO_PROMOTE_DEFAULT_HOURS, {
        label: "Auto-promote after",
        help: "Gives verifiers time to fetch the new JWKS before the key signs.",
        enforced: "enforced: server/signing-keys/auto-promote.ts (hourly on the job queue) and the Signing keys page",
        unit: "hours",
      }),
      // At least 24 h: the longest token the key can have signed (sessions.accessTokenTtlSeconds is
      // at most 86 400 s) must still verify until it expires.
      previousKeyRetentionHours: int(PREVIOUS_KEY_MIN_RETENTION_HOURS, 8760, PREVIOUS_KEY_DEFAULT_RETENTION_HOURS, {
        label: "Keep previous keys published for",
        help: "After its successor became current, a previous key is revoked (and leaves the JWKS) once this has passed. At least 24 hours, the longest token lifetime.",
        enforced: "enforced: server/signing-keys/retirement.ts (job keys.retire-previous on the queue)",
        unit: "hours",
      }),
    },
  }),
  regulated: section({
    title: "Regulated mode",
    description: "ADR-003: https-only redirect URIs, PKCE for every client, consent minimised to required scopes.",
    levels: TENANT_WIDE,
    fields: {
      enabled: bool(false, {
        label: "Regulated mode",
        help: "Refused while a client breaks its rules (the clients are listed).",
        enforced: "enforced: server/clients/service.ts (registration), server/clients/authorize-check.ts (authorization), consent minimisation in server/policies/resolve.ts",
      }),
    },
  }),
  rateLimits: section({
    title: "Rate limits",
    description: "Requests per window for each surface, plus a burst allowance, keyed by the authenticated tenant.",
    levels: TENANT_WIDE,
    fields: {
      trpc: rate({ requestsPerWindow: 600, windowSeconds: 60, burst: 100 }, { label: "Console API (tRPC)", help: "", enforced: "enforced: server/ratelimit (reads effectiveRateLimits)" }),
      apiKey: rate({ requestsPerWindow: 1200, windowSeconds: 60, burst: 200 }, { label: "API-key traffic", help: "", enforced: "enforced: server/ratelimit (reads effectiveRateLimits)" }),
      public: rate({ requestsPerWindow: 3000, windowSeconds: 60, burst: 500 }, { label: "Public endpoints (JWKS, authorize-check)", help: "", enforced: "enforced: server/ratelimit (reads effectiveRateLimits)" }),
    },
  }),
  operators: section({
    title: "Console operators",
    description: "Sessions, invitations and second factors of the people who sign in to this console. Platform-wide only.",
    levels: GLOBAL_ONLY,
    fields: {
      sessionIdleMinutes: int(5, 1440, 30, { label: "Idle timeout", help: "A console session without a request for this long ends.", enforced: "enforced: server/auth/sessions.ts (every request)", unit: "minutes" }),
      sessionAbsoluteHours: int(1, 168, 12, { label: "Session lifetime", help: "A console session ends this long after sign-in, active or not.", enforced: "enforced: server/auth/sessions.ts (every request)", unit: "hours" }),
      invitationExpiryHours: int(1, 720, 72, { label: "Invitation expiry", help: "How long an invitation link can be accepted.", enforced: "enforced: operator invitations", unit: "hours" }),
      mfaForTenantRoles: choice(["off", "required"], "off", { label: "Second factor for owners and support", help: "Security admins always need one.", enforced: "enforced: the second-factor gate at sign-in" }),
      stepUpMinutes: int(1, 120, 10, { label: "Step-up window", help: "Dangerous actions ask for the second factor again after this long.", enforced: "enforced: server/auth/step-up.ts", unit: "minutes" }),
    },
    rules: [
      {
        id: "operators.idle-within-lifetime",
        check: (v) =>
          v.sessionIdleMinutes <= v.sessionAbsoluteHours * 60
            ? null
            : `operators.sessionIdleMinutes (${v.sessionIdleMinutes}) must not exceed operators.sessionAbsoluteHours (${v.sessionAbsoluteHours} h).`,
      },
    ],
  }),
} as const;

export type FixedSectionKey = keyof typeof FIXED_SECTIONS;

/**
 * Feature flags: unlike the fixed sections, their fields are the flag names themselves (so each
 * flag is inherited or overridden on its own). Bounded so a document cannot grow without limit.
 */
export const FEATURES = {
  title: "Feature flags",
  description: "On/off switches for identity-platform features, by name.",
  levels: ALL,
  maxKeys: 50,
  keyPattern: /^[a-z][a-zA-Z0-9_.-]{0,62}$/,
  keyRule: "a letter a–z first, then letters, digits, '_', '.' or '-', at most 63 characters",
  value: z.boolean({ error: (i) => `must be true or false (got ${got(i.input)})` }),
  enforced: CONSUMED,
} as const;

export type SectionKey = FixedSectionKey | "features";
/** Display order. */
export const SECTION_KEYS: readonly SectionKey[] = ["password", "sessions", "signInRisk", "bruteForce", "consent", "dataRetention", "keyRotation", "features", "regulated", "rateLimits", "operators"];

export function isSectionKey(k: string): k is SectionKey {
  return (SECTION_KEYS as readonly string[]).includes(k);
}

export function sectionLevels(key: SectionKey): readonly Level[] {
  return key === "features" ? FEATURES.levels : FIXED_SECTIONS[key].levels;
}

export function fieldSpec(sectionKey: string, field: string): FieldSpec | null {
  if (!isSectionKey(sectionKey) || sectionKey === "features") return null;
  const fields = FIXED_SECTIONS[sectionKey].fields as Record<string, FieldSpec>;
  return Object.hasOwn(fields, field) ? fields[field]! : null;
}

/** The effective values of every section, as consumers read them. */
export type PolicyValues = { [S in FixedSectionKey]: ValuesOf<(typeof FIXED_SECTIONS)[S]["fields"]> } & { features: Record<string, boolean> };
export type RateLimitsPolicy = PolicyValues["rateLimits"];

/** An overrides document as stored: { section: { field: value } }, only what is overridden. */
export type OverridesDocument = Record<string, Record<string, unknown>>;

/** Overrides documents larger than this are refused (JSON, UTF-8). */
export const MAX_DOCUMENT_BYTES = 64 * 1024;

/** Upper bound of a version comment (the column is VARCHAR(500)). */
export const MAX_COMMENT_LENGTH = 500;
