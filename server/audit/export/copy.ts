// The export's fast path (issue 16: paged reads ran at 0.09× `COPY … TO STDOUT`): the database
// formats the file itself and streams it through ONE `COPY (SELECT …) TO STDOUT` in one tenant
// transaction as the runtime role under RLS (server/db/copy-door.ts). Node only ends CSV records
// with CRLF (each row arrives as one protocol message, server/db/copy-rows.ts), counts records,
// compresses, hashes and writes (pipeline.ts). JSONL is the exception: the database sends the
// fields in binary format and Node joins them into lines (JSONL_FIELDS, jsonl-from-binary.ts).
//
// The content is the paged path's (format.ts), field by field:
//   * the same columns in the same order, NULL as an empty unquoted field, '' quoted, fields with
//     a comma, quote, CR or LF quoted (COPY's CSV rules = RFC 4180), records ended by CRLF;
//   * formula defusing in SQL with the same rule as escapeCell (DANGEROUS_START below mirrors
//     format.ts: JavaScript's \s spelled out, since PostgreSQL's \s depends on the locale);
//   * occurred_at as toISOString() prints it, hashes as lowercase hex, seq as a decimal string.
// Only before/after (JSON) differ in spacing: PostgreSQL prints `{"a": 1}` where JSON.stringify
// prints `{"a":1}`. They parse to the same values, which is what the chain hash covers (the
// verifier hashes the parsed event, server/audit/chain.ts), so the manifest and chain are the same.
// JSONL lines likewise (jsonl-from-binary.ts): the same keys in the same order, spaced as
// JSON.stringify spaces them except inside before/after.
//
// Used when the export is unfiltered or filtered by time only (the filters SQL can express exactly
// as auditWhere does); other filters, and the embedded PGlite store, keep the paged path.
import type { StoredExportFilters } from "./stored-filters";
import type { ExportFormat } from "./format";

/** Filters the COPY path applies itself (the rest stay with the paged path). */
export function copyCanExport(f: StoredExportFilters): boolean {
  return f.actor === null && f.actionPrefix === null && f.targetType === null && f.targetId === null && f.outcome === null && f.text === null;
}

/** JavaScript's \s (ECMAScript WhiteSpace + LineTerminator), as a PostgreSQL bracket expression body. */
const JS_WHITESPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
/** format.ts DANGEROUS_START: /^(?:[\t\r\n']|\s*[=+\-@])/ */
const DANGEROUS_START = `^(?:[\\t\\r\\n'']|[${JS_WHITESPACE}]*[=+\\-@])`;

/**
 * Code points a dangerous value can start with: JavaScript's \s (JS_WHITESPACE above) and ' = + - @.
 * Every value DANGEROUS_START matches starts with one of these.
 */
const DANGEROUS_FIRST = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000, 0xfeff, 0x27, 0x3d, 0x2b, 0x2d, 0x40,
].join(", ");

/**
 * escapeCell in SQL (NULL stays NULL). The regular expression ran on every field of every row and
 * was the export's largest cost (issue 16: it tripled the server's time for the SELECT). Almost no
 * value starts with one of DANGEROUS_FIRST, so comparing the first code point (ascii() gives the
 * code point in UTF-8) settles nearly all of them; the regular expression decides the rest exactly
 * as before. CASE tries its branches in order.
 */
function esc(expr: string): string {
  return `CASE WHEN ascii(${expr}) NOT IN (${DANGEROUS_FIRST}) THEN ${expr} WHEN ${expr} ~ '${DANGEROUS_START}' THEN '''' || ${expr} ELSE ${expr} END`;
}

/**
 * escapeCell of a JSON column's text. jsonb prints a value starting with { [ " t f n, a digit or -:
 * only a negative number can be dangerous, so the text (a conversion per use) is made once for
 * every other value instead of once for the test and again for the output.
 */
function escJson(column: string): string {
  return `CASE WHEN jsonb_typeof(${column}) = 'number' THEN ${esc(`${column}::text`)} ELSE ${column}::text END`;
}

/**
 * occurred_at as toISOString() prints it. to_char cost ~1 µs a row (a third of the CSV's expression
 * time, issue 16); the timestamp's own text (DateStyle ISO, set by the copy door) is
 * `YYYY-MM-DD HH:MI:SS[.f[f[f]]]` for years 1000–9999, and the column keeps milliseconds
 * (timestamptz(3)), so a 'T' and the fraction padded to three digits make the same text. Other
 * years keep to_char.
 */
const UTC_TEXT = `(occurred_at AT TIME ZONE 'UTC')::text`;
const ISO =
  `CASE WHEN occurred_at >= '1000-01-01 00:00:00+00' AND occurred_at < '10000-01-01 00:00:00+00' ` +
  `THEN rpad(replace(CASE WHEN length(${UTC_TEXT}) = 19 THEN ${UTC_TEXT} || '.' ELSE ${UTC_TEXT} END, ' ', 'T'), 23, '0') || 'Z' ` +
  `ELSE to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END`;

/**
 * The rows of the export: this tenant (explicit, for the (tenant_id, id) index; RLS filters too),
 * ids up to the claim's snapshot, the time filters that are set. Values come from transaction
 * settings, each read ONCE through a scalar subquery (an InitPlan): as plain expressions,
 * current_setting and the timestamp casts were evaluated for every row (issue 16), and a time bound
 * that is not set is left out rather than compared with ±infinity on every row.
 */
export function copyWhere(f: Pick<StoredExportFilters, "from" | "to">): string {
  return [
    `tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    `id <= (SELECT current_setting('credo.copy.max_id')::bigint)`,
    ...(f.from ? [`occurred_at >= (SELECT current_setting('credo.copy.from')::timestamptz)`] : []),
    ...(f.to ? [`occurred_at < (SELECT current_setting('credo.copy.to')::timestamptz)`] : []),
  ].join("\n   AND ");
}

export function copyParams(maxId: bigint, f: StoredExportFilters): Record<string, string> {
  return { max_id: maxId.toString(), from: f.from ?? "", to: f.to ?? "" };
}

/**
 * The planner's row estimate for the export, for the progress people see while it runs (the
 * manifest's exact totals are counted from the stream, stream-tally.ts). The values go as bind
 * parameters, so the plan uses the tenant's own statistics (copyWhere's settings are unknown to
 * the planner).
 */
export function copyEstimate(tenantId: string, maxId: bigint, f: Pick<StoredExportFilters, "from" | "to">): { sql: string; values: string[] } {
  const values = [tenantId, maxId.toString()];
  const where = ["tenant_id = $1::uuid", "id <= $2::bigint"];
  if (f.from) where.push(`occurred_at >= $${values.push(f.from)}::timestamptz`);
  if (f.to) where.push(`occurred_at < $${values.push(f.to)}::timestamptz`);
  return { sql: `EXPLAIN (FORMAT JSON) SELECT 1 FROM audit_events WHERE ${where.join(" AND ")}`, values };
}

/** "Plan Rows" of an EXPLAIN (FORMAT JSON) result row. */
export function planRows(row: Record<string, unknown> | undefined): number | null {
  const plan = (row?.["QUERY PLAN"] as { Plan?: { "Plan Rows"?: unknown } }[] | undefined)?.[0]?.Plan?.["Plan Rows"];
  return typeof plan === "number" && Number.isFinite(plan) ? Math.round(plan) : null;
}

const CSV_SELECT = [
  "tenant_id::text AS tenant_id",
  "seq::text AS seq",
  `${ISO} AS occurred_at`,
  `${esc("actor_type")} AS actor_type`,
  `${esc("actor_id")} AS actor_id`,
  `${esc("actor_label")} AS actor_label`,
  `${esc("action")} AS action`,
  `${esc("target_type")} AS target_type`,
  `${esc("target_id")} AS target_id`,
  `${esc("outcome")} AS outcome`,
  `${escJson("before")} AS before`,
  `${escJson("after")} AS after`,
  `${esc("ip")} AS ip`,
  `${esc("user_agent")} AS user_agent`,
  `${esc("request_id")} AS request_id`,
  "encode(prev_hash, 'hex') AS prev_hash",
  "encode(hash, 'hex') AS hash",
].join(", ");

/**
 * The JSONL export's fields, in line order: the key, how the line writer treats the column's bytes
 * (jsonl-from-binary.ts) and the SQL that sends them. "text": ASCII that never needs escaping (a
 * UUID, digits, the ISO time, hex), quoted as it is; "string": free text, escaped there as
 * JSON.stringify escapes it; "jsonb": the value in jsonb's binary form (its own text). The database
 * formats the fixed fields (cheap in SQL, costly byte by byte in Node); Node escapes and joins.
 */
export const JSONL_FIELDS: readonly (readonly [key: string, kind: "text" | "string" | "jsonb", sql: string])[] = [
  ["tenantId", "text", "tenant_id::text"],
  ["seq", "text", "seq::text"],
  ["occurredAt", "text", ISO],
  ["actorType", "string", "actor_type"],
  ["actorId", "string", "actor_id"],
  ["actorLabel", "string", "actor_label"],
  ["action", "string", "action"],
  ["targetType", "string", "target_type"],
  ["targetId", "string", "target_id"],
  ["outcome", "string", "outcome"],
  ["before", "jsonb", "before"],
  ["after", "jsonb", "after"],
  ["ip", "string", "ip"],
  ["userAgent", "string", "user_agent"],
  ["requestId", "string", "request_id"],
  ["prevHash", "text", "encode(prev_hash, 'hex')"],
  ["hash", "text", "encode(hash, 'hex')"],
];

/**
 * The COPY statement. CSV: the file's records as they are written. JSONL: the columns' stored
 * values in binary format, which jsonl-from-binary.ts turns into lines (formatting JSON in SQL cost
 * the database twice the CSV's time, issue 16).
 */
export function copySql(format: ExportFormat, f: StoredExportFilters): string {
  if (format === "csv") {
    return `COPY (SELECT ${CSV_SELECT} FROM audit_events WHERE ${copyWhere(f)} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  }
  return `COPY (SELECT ${JSONL_FIELDS.map(([, , sql]) => sql).join(", ")} FROM audit_events WHERE ${copyWhere(f)} ORDER BY id) TO STDOUT WITH (FORMAT binary)`;
}
