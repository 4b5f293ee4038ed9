// Tokens sent by e-mail (invitations, password resets): 32 random bytes, base64url. Only the SHA-256
// (hex) is stored; the token itself exists in the e-mail and nowhere else.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";

export function newEmailToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** 32 bytes in base64url are 43 characters. */
export const emailTokenInput = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid. Copy the whole link from the e-mail.");
