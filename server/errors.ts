// Errors a person can act on. Services throw these; the tRPC layer maps them to status codes and
// passes the message through unchanged. Anything else becomes a generic 500 without details.
export type UserErrorCode = "BAD_REQUEST" | "CONFLICT" | "NOT_FOUND" | "FORBIDDEN" | "PRECONDITION_FAILED" | "TOO_MANY_REQUESTS";

/**
 * Optional, for forms: the input field the error is about and a stable reason code (SCREAMING_CASE),
 * sent in error.data so the browser puts the message beside the field without parsing its text.
 */
export interface UserErrorDetail {
  field?: string;
  reason?: string;
}

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly detail: UserErrorDetail = {},
  ) {
    super(message);
    this.name = "UserError";
  }
}
