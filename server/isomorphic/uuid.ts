// One spelling of "is this a UUID", for the server and the browser alike.

const ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOWERCASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID in either case, as callers may send it (PostgreSQL reads both). */
export function isUuid(value: string): boolean {
  return ANY_CASE.test(value);
}

/**
 * A UUID exactly as PostgreSQL prints it (lowercase): where an id becomes part of a file path, a
 * Redis key pattern or a branded tenant id, one id must have one spelling.
 */
export function isCanonicalUuid(value: string): boolean {
  return LOWERCASE.test(value);
}
