// The console's one logger (pino): JSON lines on stdout, one object per event.
//
//   logger.info({ ...fields }, "message")         anywhere on the server
//   runWithLogContext({ requestId, … }, fn)        every line logged inside fn (across awaits) carries
//                                                  the context's requestId / tenantId / actor / procedure
//   noteLogTenant(tenantId)                        the tenant door records which tenant a request entered
//
// Secrets and personal data are removed by CONFIGURATION, not by each call site remembering to:
// `redact` paths censor the fields that carry them wherever they appear (two levels deep), and the
// error serializer keeps only type, message, code and stack with anything key- or URL-credential-
// shaped scrubbed from the text. Call sites still log ids (user id, API key public id), never labels
// (e-mail addresses) or values from the request body.
//
// LOG_LEVEL (trace|debug|info|warn|error|fatal|silent; default info, warn under tests) is read here
// rather than in server/env.ts: the migrator and the job queue's schema module log without loading
// the app's configuration.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";

export const REDACTED = "[redacted]";

/** Field names whose values never reach a log line (at the top level and one or two levels down). */
const SECRET_FIELDS = [
  "password", "newPassword", "currentPassword", "passwordHash", "secret", "clientSecret", "client_secret",
  "token", "accessToken", "refreshToken", "idToken", "apiKey", "privateKey", "privateJwk", "authorization",
  "cookie", "set-cookie", "totp", "recoveryCode", "otp", "email", "authorLabel", "actorLabel", "label",
];
export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((f) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const dot = k.startsWith("[") ? k : `.${k}`;
  return [k, `*${dot}`, `*.*${dot}`];
});

/** API keys, bearer tokens, client secrets and credentials inside URLs, wherever they occur in text. */
const SECRET_TEXT: readonly [RegExp, string][] = [
  [/\btc_[a-z0-9]{12}_[A-Za-z0-9_-]{20,}/g, "tc_[redacted]"],
  [/\bcs_[A-Za-z0-9_-]{16,}/g, "cs_[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, "$1[redacted]@"],
  [/\b(password|secret|token)=[^\s&;]+/gi, "$1=[redacted]"],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_TEXT) out = out.replace(re, replacement);
  return out;
}

/** Errors: type, message, code and stack — scrubbed; never the error's other own properties (a cause may carry a request). */
export function serializeError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: scrubText(String(e)) };
  const out: Record<string, unknown> = { type: e.name, message: scrubText(e.message) };
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  if (e.stack) out.stack = scrubText(e.stack);
  if (e.cause !== undefined && e.cause !== e) out.cause = e.cause instanceof Error ? { type: e.cause.name, message: scrubText(e.cause.message) } : undefined;
  return out;
}

/** What every line of one request or job carries. Mutable: the tenant becomes known mid-request. */
export interface LogContext {
  requestId?: string;
  tenantId?: string;
  /** `user:<id>`, `api_key:<public id>`, `job`, `system` or `anonymous` — never an e-mail. */
  actor?: string;
  procedure?: string;
  route?: string;
  job?: string;
}

const globalForLog = globalThis as unknown as { credoLogContext?: AsyncLocalStorage<LogContext>; credoLogSink?: { sink: DestinationStream | null }; credoLogger?: Logger };
// On globalThis: Next bundles route handlers separately, and every copy must share one context and logger.
const contextStorage = (globalForLog.credoLogContext ??= new AsyncLocalStorage<LogContext>());
const sinkHolder = (globalForLog.credoLogSink ??= { sink: null });

export function runWithLogContext<T>(ctx: LogContext, fn: () => T): T {
  return contextStorage.run(ctx, fn);
}

export function currentLogContext(): LogContext | undefined {
  return contextStorage.getStore();
}

/** The tenant door calls this: the request (or job) entered this tenant (the last one entered wins). */
export function noteLogTenant(tenantId: string): void {
  const store = contextStorage.getStore();
  if (store) store.tenantId = tenantId;
}

function defaultLevel(): string {
  const given = process.env.LOG_LEVEL?.trim();
  if (given && ["trace", "debug", "info", "warn", "error", "fatal", "silent"].includes(given)) return given;
  return process.env.NODE_ENV === "test" || process.env.VITEST ? "warn" : "info";
}

/** A pino logger with the console's redaction and serializers, writing to `destination`. */
export function createLogger(destination: DestinationStream, level = defaultLevel()): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      // Context fields first; a call's own fields of the same name win.
      mixin: () => {
        const c = contextStorage.getStore();
        if (!c) return {};
        const out: Record<string, string> = {};
        for (const k of ["requestId", "tenantId", "actor", "procedure", "route", "job"] as const) {
          const v = c[k];
          if (v !== undefined) out[k] = v;
        }
        return out;
      },
    },
    destination,
  );
}

// Writes go through the holder so tests can capture them (captureLogs) without re-creating loggers.
const switchable: DestinationStream = {
  write(line: string) {
    (sinkHolder.sink ?? process.stdout).write(line);
  },
};

export const logger: Logger = (globalForLog.credoLogger ??= createLogger(switchable));

export interface LogCapture {
  /** Raw text written so far (what an operator's log store would receive). */
  text(): string;
  /** The lines written so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Restores the previous destination and level. */
  stop(): void;
}

/** Tests: collect every line the logger writes (at least at `level`) until stop(). */
export function startLogCapture(level = "debug"): LogCapture {
  const chunks: string[] = [];
  const previousSink = sinkHolder.sink;
  const previousLevel = logger.level;
  sinkHolder.sink = { write: (s: string) => void chunks.push(s) };
  logger.level = level;
  const text = () => chunks.join("");
  return {
    text,
    lines: () => text().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    stop: () => {
      sinkHolder.sink = previousSink;
      logger.level = previousLevel;
    },
  };
}

/** Tests: the lines logged while `fn` runs. */
export async function captureLogs<T>(fn: () => Promise<T>, level = "debug"): Promise<{ result: T; text: string; lines: Record<string, unknown>[] }> {
  const capture = startLogCapture(level);
  try {
    const result = await fn();
    return { result, text: capture.text(), lines: capture.lines() };
  } finally {
    capture.stop();
  }
}
