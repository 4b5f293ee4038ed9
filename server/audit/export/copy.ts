// The export's fast path (issue 16: paged reads ran at 0.09× `COPY … TO STDOUT`): the database
// formats the file itself and streams it through ONE `COPY (SELECT …) TO STDOUT` in one tenant
// transaction as the runtime role under RLS (server/db/copy-door.ts). Node only turns CSV record
// ends into CRLF, counts records, compresses, hashes and writes (pipeline.ts).
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
// JSONL lines likewise: the same keys in the same order, PostgreSQL's JSON spacing.
//
// Used when the export is unfiltered or filtered by time only (the filters SQL can express exactly
// as auditWhere does); other filters, and the embedded PGlite store, keep the paged path.
import { Transform, type TransformCallback } from "node:stream";
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

/** escapeCell in SQL (NULL stays NULL). */
function esc(expr: string): string {
  return `CASE WHEN ${expr} ~ '${DANGEROUS_START}' THEN '''' || ${expr} ELSE ${expr} END`;
}

const ISO = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The rows of the export: this tenant (explicit, for the (tenant_id, id) index; RLS filters too),
 * ids up to the claim's snapshot, the time filters. Values come from transaction settings.
 */
export const COPY_WHERE = `tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
   AND id <= current_setting('credo.copy.max_id')::bigint
   AND occurred_at >= coalesce(nullif(current_setting('credo.copy.from'), '')::timestamptz, '-infinity')
   AND occurred_at < coalesce(nullif(current_setting('credo.copy.to'), '')::timestamptz, 'infinity')`;

export function copyParams(maxId: bigint, f: StoredExportFilters): Record<string, string> {
  return { max_id: maxId.toString(), from: f.from ?? "", to: f.to ?? "" };
}

/** The totals the manifest needs, from the same snapshot as the COPY. */
export const COPY_TALLY_SQL = `SELECT count(*)::int AS rows, (count(*) FILTER (WHERE seq IS NULL))::int AS unchained,
       min(seq)::text AS first_seq, max(seq)::text AS last_seq
  FROM audit_events WHERE ${COPY_WHERE}`;

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
  `${esc("before::text")} AS before`,
  `${esc("after::text")} AS after`,
  `${esc("ip")} AS ip`,
  `${esc("user_agent")} AS user_agent`,
  `${esc("request_id")} AS request_id`,
  "encode(prev_hash, 'hex') AS prev_hash",
  "encode(hash, 'hex') AS hash",
].join(", ");

const JSON_OBJECT = `json_build_object(
  'tenantId', tenant_id, 'seq', seq::text, 'occurredAt', ${ISO}, 'actorType', actor_type, 'actorId', actor_id,
  'actorLabel', actor_label, 'action', action, 'targetType', target_type, 'targetId', target_id, 'outcome', outcome,
  'before', before, 'after', after, 'ip', ip, 'userAgent', user_agent, 'requestId', request_id,
  'prevHash', encode(prev_hash, 'hex'), 'hash', encode(hash, 'hex'))::text`;

/**
 * The COPY statement. JSONL goes through CSV mode with a delimiter and quote that JSON text never
 * contains raw (control characters are escaped in JSON), so each line is the JSON text unchanged
 * (text mode would double every backslash).
 */
export function copySql(format: ExportFormat): string {
  if (format === "csv") {
    return `COPY (SELECT ${CSV_SELECT} FROM audit_events WHERE ${COPY_WHERE} ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  }
  return `COPY (SELECT ${JSON_OBJECT} FROM audit_events WHERE ${COPY_WHERE} ORDER BY id) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * COPY ends CSV records with LF; RFC 4180 (and the paged path) with CRLF. A record end is an LF
 * outside quotes (a quote inside a quoted field is doubled, so toggling on every quote is exact);
 * LFs inside quoted fields stay as they are. Counts records as it goes (`onRecords`).
 */
export function csvCrlf(onRecords: (n: number) => void): Transform {
  let quoted = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const parts: Buffer[] = [];
      let start = 0;
      let records = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === QUOTE) quoted = !quoted;
        else if (b === LF && !quoted) {
          parts.push(chunk.subarray(start, i), CRLF);
          start = i + 1;
          records++;
        }
      }
      parts.push(chunk.subarray(start));
      if (records) onRecords(records);
      done(null, Buffer.concat(parts));
    },
  });
}
const CRLF = Buffer.from([CR, LF]);

/** JSONL: lines pass through unchanged; counts them. */
export function lineCounter(onRecords: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      let n = 0;
      for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) n++;
      if (n) onRecords(n);
      done(null, chunk);
    },
  });
}
