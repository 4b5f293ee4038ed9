// Errors a person can act on, each with a stable code (documenso's AppErrorCode style). Services
// throw AppError; only server/api/ turns one into a TRPCError (its transport code below) and sends
// the code to the browser as `error.data.appCode`, so the UI branches on codes, never on message
// text. Messages are for people and may be reworded; codes are a contract: add, never rename.
// Anything that is not an AppError becomes a generic 500 without details.
// Isomorphic: no imports, no I/O — the browser reads the same list.

/** The tRPC code (and so the HTTP status) an application error travels as. */
export type TransportCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR";

/**
 * Every application error code and how it travels. The generic codes (named like their transport)
 * are for refusals nothing branches on; a specific code exists because a form or page reacts to it.
 */
export const APP_ERROR_CODES = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",

  /** The second-factor gate: this session has not proven the user's factor yet (→ /signin/verify). */
  SECOND_FACTOR_REQUIRED: "UNAUTHORIZED",
  /** The second-factor gate: the role requires a factor and the user has none (→ enrolment). */
  SECOND_FACTOR_ENROLMENT_REQUIRED: "UNAUTHORIZED",
  /** A dangerous action needs a recent verification (the step-up dialog). */
  STEP_UP_REQUIRED: "FORBIDDEN",
  /** The tenant is paused: changes are refused (HTTP 423). */
  TENANT_PAUSED: "PRECONDITION_FAILED",
  /** The tenant is pending deletion: only its overview answers. */
  TENANT_PENDING_DELETION: "PRECONDITION_FAILED",
  /** The tenant's share of the database pool is busy (Retry-After). */
  TENANT_BUSY: "TOO_MANY_REQUESTS",
  /** A rate limit refused the call (Retry-After). */
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  /** A policy save based on a version that is no longer the newest (reload and re-apply). */
  POLICY_VERSION_CONFLICT: "CONFLICT",
  SLUG_TAKEN: "CONFLICT",
  WORKSPACE_SLUG_TAKEN: "CONFLICT",
  REDIRECT_URI_TAKEN: "CONFLICT",
  WRONG_PASSWORD: "BAD_REQUEST",
  PASSWORD_UNCHANGED: "BAD_REQUEST",
  PASSWORD_TOO_SHORT: "BAD_REQUEST",
  PASSWORD_TOO_WEAK: "BAD_REQUEST",
} as const satisfies Record<string, TransportCode>;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export function isAppErrorCode(code: unknown): code is AppErrorCode {
  return typeof code === "string" && Object.hasOwn(APP_ERROR_CODES, code);
}

export interface AppErrorOptions {
  /** The input field the error is about (its input key), so forms put the message beside it. */
  field?: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  /** The tRPC code this error travels as. */
  get transport(): TransportCode {
    return APP_ERROR_CODES[this.code];
  }
}

/** The code of an error that has none of its own: its transport code when listed, else a generic one. */
export function appCodeForTransport(code: string, httpStatus: number): AppErrorCode {
  if (isAppErrorCode(code)) return code;
  return httpStatus >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
}

/** The application code of an error as the browser receives it (a tRPC client error or a REST body). */
export function appErrorCodeOf(error: unknown): AppErrorCode | undefined {
  const data = (error as { data?: { appCode?: unknown } } | null)?.data;
  return isAppErrorCode(data?.appCode) ? data.appCode : undefined;
}
