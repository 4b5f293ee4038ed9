// The export job body: one tenant's audit events, filtered like the viewer, streamed end to end
//
//   on a real server, unfiltered or time-filtered: ONE `COPY (SELECT …) TO STDOUT` (copy.ts), CSV
//     record ends → CRLF, the manifest's totals counted from the stream (stream-tally.ts); JSONL:
//     binary rows joined into lines, which count the totals themselves (jsonl-from-binary.ts);
//   otherwise (other filters, embedded PGlite):
//   keyset-paged reads (short tenant transactions, PAGE rows each, id ascending = chain order)
//     → JSONL lines / CSV records (csv-stringify, one page at a time)
//     → gzip members of 4 MiB each, two compressed at once (zlib, compress.ts) → SHA-256 + byte count
//     → <export id>.<format>.gz.partial
//     → fsync, rename to <export id>.<format>.gz → manifest signed with the platform key
//
// Memory is bounded by one page whatever the size of the export: the next page is only read when
// the compressor and the file have taken the previous one (stream backpressure).
//
// The snapshot: the claim transaction reads the chain head and the tenant's highest event id in ONE
// statement; the export covers exactly the events with id ≤ that (events appended while it runs are
// left out, so the manifest's chain head is the head of what was exported).
//
// Crash safety: an export is RESTARTABLE, not resumable. Its row is claimed (status running,
// attempts + 1) and the file is written to a .partial name and renamed only when complete, so a
// killed worker leaves no half file behind a download link. When the job queue runs the job again,
// the export starts over from scratch (the partial file is overwritten); after EXPORT_MAX_ATTEMPTS
// claims it is marked failed.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify/sync";
import { inTenant } from "../../db/doors";
import { copyDoorAvailable, inTenantCopy } from "../../db/copy-door";
import { env } from "../../env";
import { auditWhere, type AuditFilters } from "../repository";
import { activePlatformKey, signPlatformJson } from "../../platform-keys";
import type { TenantId } from "../../tenancy/tenant-id";
import { GENESIS_HASH } from "../chain";
import { latestRetentionCheckpoint } from "../checkpoints";
import { recordAudit, SYSTEM_ACTOR } from "../record";
import { exportCompression, MemberBuffers } from "./compress";
import { copyCanExport, copyEstimate, copyParams, copySql, planRows } from "./copy";
import { exportFilePath, partialFilePath, downloadName } from "./files";
import { CSV_HEADER, csvRecord, exportedEvent, jsonlLine, type EventRow, type ExportFormat } from "./format";
import { MANIFEST_TYP, type ExportManifest, type ExportFiltersInManifest } from "./manifest";
import type { StoredExportFilters } from "./stored-filters";
import { csvSeq, StreamTally } from "./stream-tally";
import { JsonlFromBinary } from "./jsonl-from-binary";

/** Rows per read (one short transaction each). */
export const EXPORT_PAGE_SIZE = 2000;
/** Claims of one export before it is marked failed. */
export const EXPORT_MAX_ATTEMPTS = 3;
/** Progress (rows written) is saved at most this often. */
const PROGRESS_EVERY_MS = 1000;

export function storedFilters(f: AuditFilters): StoredExportFilters {
  return {
    from: f.from ? f.from.toISOString() : null,
    to: f.to ? f.to.toISOString() : null,
    actor: f.actor ?? null,
    actionPrefix: f.actionPrefix ?? null,
    targetType: f.targetType ?? null,
    targetId: f.targetId ?? null,
    outcome: f.outcome ?? null,
    text: f.text ?? null,
  };
}

export function filtersFromStored(s: StoredExportFilters): AuditFilters {
  return {
    from: s.from ? new Date(s.from) : null,
    to: s.to ? new Date(s.to) : null,
    actor: s.actor,
    actionPrefix: s.actionPrefix,
    targetType: s.targetType,
    targetId: s.targetId,
    outcome: s.outcome,
    text: s.text,
  };
}

function isUnfiltered(s: StoredExportFilters): boolean {
  return Object.values(s).every((v) => v === null);
}

const exportSelect = {
  id: true,
  tenantId: true,
  seq: true,
  occurredAt: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  outcome: true,
  before: true,
  after: true,
  ip: true,
  userAgent: true,
  requestId: true,
  prevHash: true,
  hash: true,
} as const;

export type ExportRunOutcome = "done" | "skipped" | "missing" | "failed";

export interface ExportRunResult {
  outcome: ExportRunOutcome;
  rows: number;
  bytes: number;
  sha256: string | null;
}

interface Claim {
  format: ExportFormat;
  filters: StoredExportFilters;
  slug: string;
  createdAt: Date;
  requestedBy: { type: string; label: string | null };
  maxId: bigint;
  headSeq: bigint;
  headHash: Uint8Array | null;
  baseSeq: bigint;
  baseHash: Uint8Array;
}

/**
 * Marks the export running (attempt + 1) and takes the snapshot, in one tenant transaction. The
 * row estimate people see is counted here for the paged path; the COPY path asks the planner
 * instead and counts the rows as they stream (`countsLater`, issue 16: a count is a whole pass over
 * the tenant's history).
 */
async function claim(tenantId: TenantId, exportId: string, now: Date, countsLater: (filters: StoredExportFilters) => boolean): Promise<Claim | ExportRunOutcome> {
  return inTenant(tenantId, async (scope) => {
    const row = await scope.db.auditExport.findUnique({ where: { tenantId_id: { tenantId, id: exportId } } });
    if (!row) return "missing";
    if (row.status !== "queued" && row.status !== "running") return "skipped";
    if (row.attempts >= EXPORT_MAX_ATTEMPTS) {
      await scope.db.auditExport.update({
        where: { tenantId_id: { tenantId, id: exportId } },
        data: { status: "failed", finishedAt: now, error: row.error ?? "The export was interrupted too often and was given up." },
        select: { id: true },
      });
      return "failed";
    }
    const filters = row.filters as unknown as StoredExportFilters;
    const [snap] = await scope.db.$queryRaw<{ head_seq: bigint | null; head_hash: Uint8Array | null; max_id: bigint | null; slug: string }[]>`
      SELECT (SELECT seq FROM audit_chain_heads WHERE tenant_id = ${tenantId}::uuid) AS head_seq,
             (SELECT head_hash FROM audit_chain_heads WHERE tenant_id = ${tenantId}::uuid) AS head_hash,
             (SELECT max(id) FROM audit_events WHERE tenant_id = ${tenantId}::uuid) AS max_id,
             (SELECT slug::text FROM tenants WHERE id = ${tenantId}::uuid) AS slug`;
    const maxId = snap?.max_id ?? 0n;
    const base = await latestRetentionCheckpoint(scope);
    const estimate = countsLater(filters) ? null : await scope.db.auditEvent.count({ where: { ...auditWhere(scope, filtersFromStored(filters)), id: { lte: maxId } } });
    await scope.db.auditExport.update({
      where: { tenantId_id: { tenantId, id: exportId } },
      data: { status: "running", attempts: { increment: 1 }, startedAt: now, rowsWritten: 0n, rowsEstimated: estimate === null ? null : BigInt(estimate), error: null },
      select: { id: true },
    });
    return {
      format: row.format as ExportFormat,
      filters,
      slug: snap?.slug ?? "",
      createdAt: row.createdAt,
      requestedBy: { type: row.requestedByType, label: row.requestedByLabel },
      maxId,
      headSeq: snap?.head_seq ?? 0n,
      headHash: snap?.head_hash ?? null,
      baseSeq: base ? base.seq : 0n,
      baseHash: base ? base.hash : GENESIS_HASH,
    };
  });
}

interface Tally {
  rows: number;
  unchained: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
}

/**
 * The export's content as text chunks, one per page: each page is read in its own short tenant
 * transaction, which also saves the progress so far.
 */
async function* pages(tenantId: TenantId, exportId: string, c: Claim, tally: Tally, pageSize: number): AsyncGenerator<string> {
  const where = filtersFromStored(c.filters);
  let cursor = 0n;
  let savedAt = Date.now();
  let first = true;
  for (;;) {
    const saveProgress = Date.now() - savedAt >= PROGRESS_EVERY_MS;
    const rows = await inTenant(tenantId, async (scope) => {
      if (saveProgress) {
        await scope.db.auditExport.update({ where: { tenantId_id: { tenantId, id: exportId } }, data: { rowsWritten: BigInt(tally.rows) }, select: { id: true } });
      }
      return scope.db.auditEvent.findMany({
        where: { ...auditWhere(scope, where), id: { gt: cursor, lte: c.maxId } },
        orderBy: { id: "asc" },
        take: pageSize,
        select: exportSelect,
      });
    });
    if (saveProgress) savedAt = Date.now();
    if (rows.length === 0 && !first) return;
    const events = rows.map((r) => {
      tally.rows++;
      if (r.seq === null) tally.unchained++;
      else {
        tally.firstSeq ??= r.seq;
        tally.lastSeq = r.seq;
      }
      return exportedEvent(r as EventRow);
    });
    if (c.format === "jsonl") {
      if (events.length) yield events.map(jsonlLine).join("");
    } else {
      // RFC 4180: CRLF records, quotes doubled, fields with separators/quotes/newlines quoted;
      // "" for an empty string, nothing for NULL. The header comes with the first page.
      const text = stringify(events.map(csvRecord), {
        header: first,
        columns: CSV_HEADER,
        // An empty STRING is quoted (""), a NULL stays an empty unquoted field (quoted_empty would
        // quote both and lose the difference the chain hash depends on).
        // Fields holding CR or LF are quoted too (RFC 4180): csv-stringify only quotes the record
        // delimiter itself (CRLF), so a bare LF would otherwise end the record in some readers.
        quoted_match: [/^$/, /[\r\n]/],
        record_delimiter: "windows",
        eof: true,
      });
      if (text) yield text;
    }
    first = false;
    if (rows.length < pageSize) return;
    cursor = rows[rows.length - 1]!.id;
  }
}

/**
 * Saves rows written so far at most every PROGRESS_EVERY_MS, each in its own short tenant
 * transaction beside the COPY's (real PostgreSQL only, as the COPY path is). `done()` waits for the
 * saves in flight.
 */
function progressSaver(tenantId: TenantId, exportId: string, skip: number) {
  let rows = -skip;
  let savedAt = Date.now();
  let chain: Promise<unknown> = Promise.resolve();
  return {
    add(n: number) {
      rows += n;
      if (Date.now() - savedAt < PROGRESS_EVERY_MS) return;
      savedAt = Date.now();
      const at = Math.max(0, rows);
      chain = chain.then(() =>
        inTenant(tenantId, (scope) => scope.db.auditExport.updateMany({ where: { tenantId, id: exportId, status: "running" }, data: { rowsWritten: BigInt(at) } })),
      );
    },
    /** The row count of the snapshot, saved as the estimate people see (the COPY path's tally). */
    estimated(total: number) {
      chain = chain.then(() =>
        inTenant(tenantId, (scope) => scope.db.auditExport.updateMany({ where: { tenantId, id: exportId, status: "running" }, data: { rowsEstimated: BigInt(total) } })),
      );
    },
    done: () => chain,
  };
}

/**
 * The COPY path (copy.ts): the file's content streamed by the database in one snapshot; the
 * manifest's totals counted from that stream (stream-tally.ts); the planner's estimate shown while
 * it runs.
 */
async function writeViaCopy(tenantId: TenantId, exportId: string, c: Claim, tally: Tally, sink: (lender?: MemberBuffers) => NodeJS.WritableStream[]): Promise<void> {
  const csv = c.format === "csv";
  // One protocol message is not an event: CSV's header, binary data's trailer (see the check below).
  const progress = progressSaver(tenantId, exportId, 1);
  // CSV: the file as the database writes it, its totals read from the records' starts. JSONL: the
  // lines written from the binary rows, which count the totals from the values themselves.
  const counted = csv ? new StreamTally(csvSeq, 1) : null;
  const buffers = csv ? undefined : new MemberBuffers();
  const lines = buffers ? new JsonlFromBinary(buffers) : null;
  let records = 0;
  await inTenantCopy(tenantId, copyParams(c.maxId, c.filters), async (tx) => {
    const estimate = copyEstimate(tenantId, c.maxId, c.filters);
    const rows = planRows((await tx.query<Record<string, unknown>>(estimate.sql, estimate.values))[0]);
    if (rows !== null) progress.estimated(rows);
    // Rows come with their ends (server/db/copy-rows.ts): every row is one protocol message. CSV
    // records end in CRLF as RFC 4180 wants, and each record start is handed to the tally.
    const onChunk = (chunk: Buffer, ends: readonly number[]) => {
      counted?.records(chunk, ends);
      if (ends.length > 0) {
        records += ends.length;
        progress.add(ends.length);
      }
    };
    await tx.copyOut(copySql(c.format, c.filters), { crlf: csv, onChunk }, (stream) => pipeline([stream, ...(lines ? [lines] : []), ...sink(buffers)]));
  });
  await progress.done();
  Object.assign(tally, (counted ?? lines!).totals());
  // Two independent readings: the rows the protocol delivered, and the records the tally read.
  // Besides its rows, CSV has a header record and binary data a trailer message (its header
  // comes with the first row, or with the trailer when there is none).
  if (tally.rows !== records - 1) throw new Error(`export ${exportId}: ${records} records but ${tally.rows} chain positions read`);
}

/** Runs (or re-runs from scratch) one export. Plain function: the job task and the tests call it. */
export async function runAuditExport(
  tenantId: TenantId,
  exportId: string,
  opts: {
    pageSize?: number;
    now?: () => Date;
    /** "copy": stream through COPY when the filters allow (default on a real server); "pages": keyset pages (PGlite). */
    via?: "copy" | "pages";
  } = {},
): Promise<ExportRunResult> {
  const now = opts.now ?? (() => new Date());
  const via = opts.via ?? (copyDoorAvailable() ? "copy" : "pages");
  const claimed = await claim(tenantId, exportId, now(), (filters) => via === "copy" && copyCanExport(filters));
  if (typeof claimed === "string") return { outcome: claimed, rows: 0, bytes: 0, sha256: null };

  const file = exportFilePath(tenantId, exportId, claimed.format);
  const partial = partialFilePath(tenantId, exportId, claimed.format);
  const tally: Tally = { rows: 0, unchained: 0, firstSeq: null, lastSeq: null };
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    await mkdir(path.dirname(partial), { recursive: true, mode: 0o700 });
    // gzip members → SHA-256 + byte count → the partial file.
    const sink = (lender?: MemberBuffers) => [
      ...exportCompression(lender),
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      createWriteStream(partial, { mode: 0o600, flush: true }),
    ];
    if (via === "copy" && copyCanExport(claimed.filters)) {
      await writeViaCopy(tenantId, exportId, claimed, tally, sink);
    } else {
      await pipeline([Readable.from(pages(tenantId, exportId, claimed, tally, opts.pageSize ?? EXPORT_PAGE_SIZE)), ...sink()]);
    }
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true }).catch(() => undefined);
    await inTenant(tenantId, async (scope) => {
      const row = await scope.db.auditExport.findUnique({ where: { tenantId_id: { tenantId, id: exportId } }, select: { attempts: true } });
      if (!row) return;
      const final = row.attempts >= EXPORT_MAX_ATTEMPTS;
      await scope.db.auditExport.update({
        where: { tenantId_id: { tenantId, id: exportId } },
        data: { status: final ? "failed" : "queued", error: "The export failed while writing; it is retried from the start.".slice(0, 500), ...(final ? { finishedAt: now() } : {}) },
        select: { id: true },
      });
    });
    throw e;
  }

  const sha256 = hash.digest("hex");
  const { size } = await stat(file);
  if (bytes !== size) throw new Error(`export ${exportId}: wrote ${bytes} bytes but the file has ${size}`);
  const finishedAt = now();
  const key = await activePlatformKey();
  const f = claimed.filters;
  const filters: ExportFiltersInManifest = {};
  for (const k of ["actor", "actionPrefix", "targetType", "targetId", "outcome", "text"] as const) if (f[k] !== null) filters[k] = f[k]!;
  const manifest: ExportManifest = {
    typ: "credo.audit.export",
    v: 1,
    exportId,
    tenant: { id: tenantId, slug: claimed.slug },
    format: claimed.format,
    compression: "gzip",
    fileName: downloadName(claimed.slug, exportId, claimed.format, claimed.createdAt),
    range: { from: f.from, to: f.to },
    filters,
    segment: isUnfiltered(f) ? "complete" : "filtered",
    count: String(tally.rows),
    unchainedCount: String(tally.unchained),
    firstSeq: tally.firstSeq === null ? null : tally.firstSeq.toString(),
    lastSeq: tally.lastSeq === null ? null : tally.lastSeq.toString(),
    chain: {
      headSeq: claimed.headSeq.toString(),
      headHash: claimed.headHash ? Buffer.from(claimed.headHash).toString("hex") : null,
      baseSeq: claimed.baseSeq.toString(),
      baseHash: Buffer.from(claimed.baseHash).toString("hex"),
    },
    sha256,
    bytes: String(size),
    requestedBy: claimed.requestedBy,
    createdAt: claimed.createdAt.toISOString(),
    completedAt: finishedAt.toISOString(),
    keyId: key.kid,
  };
  const signature = await signPlatformJson(manifest, { typ: MANIFEST_TYP, key });
  const stored = await inTenant(tenantId, async (scope) => {
    const updated = await scope.db.auditExport.updateMany({
      where: { tenantId, id: exportId, status: "running" },
      data: {
        status: "done",
        rowsWritten: BigInt(tally.rows),
        // The COPY path showed the planner's estimate while it ran; done, it is the exact count.
        rowsEstimated: BigInt(tally.rows),
        bytesWritten: BigInt(size),
        sha256: new Uint8Array(Buffer.from(sha256, "hex")),
        manifest: manifest as unknown as object,
        signature,
        finishedAt,
        expiresAt: new Date(finishedAt.getTime() + env.EXPORT_TTL_HOURS * 3_600_000),
      },
    });
    if (updated.count !== 1) return false;
    await recordAudit(scope, SYSTEM_ACTOR, null, {
      action: "audit.export_completed",
      targetType: "audit_export",
      targetId: exportId,
      after: { format: claimed.format, rows: tally.rows, bytes: size, sha256, firstSeq: manifest.firstSeq, lastSeq: manifest.lastSeq },
    });
    return true;
  });
  if (!stored) {
    // Deleted or expired while it ran: no file without a row.
    await rm(file, { force: true });
    return { outcome: "missing", rows: tally.rows, bytes: size, sha256 };
  }
  return { outcome: "done", rows: tally.rows, bytes: size, sha256 };
}
