// Errors a person can act on. Services throw these; the tRPC layer maps them to status codes and
// passes the message through unchanged. Anything else becomes a generic 500 without details.
export type UserErrorCode = "BAD_REQUEST" | "CONFLICT" | "NOT_FOUND" | "FORBIDDEN" | "PRECONDITION_FAILED" | "TOO_MANY_REQUESTS";

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
