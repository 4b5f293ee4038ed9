// How one audit event is written into an export, in either format, and read back by the verifier.
//
// Every exported event carries exactly the fields its chain hash covers (server/audit/chain.ts
// ChainedEvent) plus prev_hash and hash, so `npm run export:verify` can recompute each event's hash
// offline and check that consecutive events link up. The storage id is NOT exported: it is a
// platform-wide sequence, and its gaps would hint at other tenants' activity.
//
// JSONL  one JSON object per line (UTF-8, "\n"), keys as in ChainedEvent, hashes as hex.
// CSV    RFC 4180 via csv-stringify (header row, CRLF records, fields quoted when needed, quotes
//        doubled), UTF-8. A SQL NULL is an empty unquoted field; an empty string is quoted ("").
//        before/after are JSON text. Formula injection is defused: a cell that starts with = + - @
//        TAB, CR or LF (or with blanks before = + - @) — or with the apostrophe used for escaping — gets one apostrophe in front, so a
//        spreadsheet shows it as text. To recover the value, drop ONE leading apostrophe (unescapeCell).
import type { ChainedEvent } from "../chain";

export const EXPORT_FORMATS = ["jsonl", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An event as exported: the hashed fields, then the chain links (hex). */
export interface ExportedEvent extends Omit<ChainedEvent, "seq" | "occurredAt"> {
  seq: string | null;
  occurredAt: string;
  prevHash: string | null;
  hash: string | null;
}

/** What the export reads from the database (a Prisma audit_events row, minus the storage id). */
export interface EventRow {
  tenantId: string;
  seq: bigint | null;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: Uint8Array | null;
  hash: Uint8Array | null;
}

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString("hex") : null);

export function exportedEvent(r: EventRow): ExportedEvent {
  return {
    tenantId: r.tenantId,
    seq: r.seq === null ? null : r.seq.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    outcome: r.outcome,
    before: r.before ?? null,
    after: r.after ?? null,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    prevHash: hex(r.prevHash),
    hash: hex(r.hash),
  };
}

/** One JSONL line (with its newline). JSON.stringify escapes U+2028/2029-safe; output is UTF-8. */
export function jsonlLine(e: ExportedEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** The CSV columns, in order, and the event field each one holds. */
export const CSV_COLUMNS = [
  ["tenant_id", "tenantId"],
  ["seq", "seq"],
  ["occurred_at", "occurredAt"],
  ["actor_type", "actorType"],
  ["actor_id", "actorId"],
  ["actor_label", "actorLabel"],
  ["action", "action"],
  ["target_type", "targetType"],
  ["target_id", "targetId"],
  ["outcome", "outcome"],
  ["before", "before"],
  ["after", "after"],
  ["ip", "ip"],
  ["user_agent", "userAgent"],
  ["request_id", "requestId"],
  ["prev_hash", "prevHash"],
  ["hash", "hash"],
] as const satisfies readonly (readonly [string, keyof ExportedEvent])[];

export const CSV_HEADER = CSV_COLUMNS.map(([name]) => name);

/**
 * Characters a spreadsheet treats as the start of a formula (OWASP CSV injection), plus our escape.
 * Spreadsheets trim leading blanks before parsing, so "  =1+1" is a formula too: any run of
 * whitespace before a formula character counts, and a cell starting with TAB, CR or LF is defused.
 */
const DANGEROUS_START = /^(?:[\t\r\n']|\s*[=+\-@])/;

/** Defuses formula injection: one apostrophe in front of a dangerous first character. */
export function escapeCell(v: string): string {
  return DANGEROUS_START.test(v) ? `'${v}` : v;
}

/** The inverse of escapeCell. */
export function unescapeCell(v: string): string {
  return v.startsWith("'") ? v.slice(1) : v;
}

/** One CSV record (before csv-stringify's quoting): strings, or null for SQL NULL. */
export function csvRecord(e: ExportedEvent): (string | null)[] {
  return CSV_COLUMNS.map(([, field]) => {
    const v = e[field];
    if (v === null || v === undefined) return null;
    return escapeCell(field === "before" || field === "after" ? JSON.stringify(v) : String(v));
  });
}

/** A CSV record (already unquoted by a parser, NULLs as null) back into an exported event. */
export function eventFromCsvRecord(cells: readonly (string | null)[]): ExportedEvent {
  const out: Record<string, unknown> = {};
  CSV_COLUMNS.forEach(([, field], i) => {
    const raw = cells[i] ?? null;
    const v = raw === null ? null : unescapeCell(raw);
    out[field] = (field === "before" || field === "after") && v !== null ? JSON.parse(v) : v;
  });
  return out as unknown as ExportedEvent;
}

/** The chain fields of an exported event, typed for eventHash(). */
export function chainedEventOf(e: ExportedEvent): ChainedEvent {
  return {
    tenantId: e.tenantId,
    seq: BigInt(e.seq ?? "0"),
    occurredAt: new Date(e.occurredAt),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    before: e.before,
    after: e.after,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
  };
}
