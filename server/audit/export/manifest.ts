// The manifest of an audit export and its offline verification (`npm run export:verify`).
//
// The manifest says what the file is (tenant, time range, filters, format, row count, first/last
// sequence number, the tenant's chain head and retention base when the export started, SHA-256 and
// size of the .gz file) and carries a DETACHED platform signature (compact JWS, EdDSA, made with the
// platform key — server/platform-keys/) over its canonical JSON without the `signature` member.
// Anyone with the platform's public JWKS (GET /api/public/platform-keys) can check, offline:
//   1. the signature (the manifest is the platform's, unchanged),
//   2. the file's SHA-256 and size (the file is the one the manifest describes, byte for byte),
//   3. every event in the file: its hash recomputed from its fields, its tenant, and that
//      consecutive events link (prev_hash = the previous event's hash); for an unfiltered export,
//      that the segment is complete from the retention base to the chain head named in the manifest.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import type { JSONWebKeySet } from "jose";
import { eventHash } from "../chain";
import { verifyPlatformJws } from "../../platform-keys";
import { CSV_HEADER, chainedEventOf, eventFromCsvRecord, type ExportedEvent, type ExportFormat } from "./format";

export const MANIFEST_TYP = "credo-audit-export+json";

export interface ExportFiltersInManifest {
  actor?: string;
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  text?: string;
}

/** Everything in a manifest is a JSON string/number/null, so it re-encodes identically after parsing. */
export interface ExportManifest {
  typ: "credo.audit.export";
  v: 1;
  exportId: string;
  tenant: { id: string; slug: string };
  format: ExportFormat;
  compression: "gzip";
  fileName: string;
  range: { from: string | null; to: string | null };
  filters: ExportFiltersInManifest;
  /** "complete": every event of the tenant from the retention base to the head; "filtered": a subset. */
  segment: "complete" | "filtered";
  count: string;
  /** Events from before the chain existed (no seq) among them. */
  unchainedCount: string;
  firstSeq: string | null;
  lastSeq: string | null;
  chain: { headSeq: string; headHash: string | null; baseSeq: string; baseHash: string };
  sha256: string;
  bytes: string;
  requestedBy: { type: string; label: string | null };
  createdAt: string;
  completedAt: string;
  keyId: string;
}

export interface SignedManifest extends ExportManifest {
  /** Detached compact JWS over canonical(manifest without this member). */
  signature: string;
}

export function manifestWithoutSignature(m: SignedManifest | Record<string, unknown>): ExportManifest {
  const { signature: _signature, ...rest } = m as SignedManifest;
  return rest;
}

export interface ExportVerification {
  ok: boolean;
  problems: string[];
  rows: number;
  chained: number;
  tenant: string | null;
  format: string | null;
  lines: string[];
}

async function sha256OfFile(file: string): Promise<{ hex: string; bytes: number }> {
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hex: h.digest("hex"), bytes };
}

/** Lines of a text stream, without their "\n" (bounded memory: one chunk plus one partial line). */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of input) {
    const parts = (rest + decoder.write(chunk)).split("\n");
    rest = parts.pop()!;
    yield* parts;
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/** The events of an export file, one at a time (bounded memory). A corrupt file throws. */
async function* eventsOf(file: string, format: ExportFormat): AsyncGenerator<ExportedEvent> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on("error", (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  if (format === "jsonl") {
    for await (const line of linesOf(gunzip)) {
      if (line === "") continue;
      yield JSON.parse(line) as ExportedEvent;
    }
    return;
  }
  const parser = parse({
    bom: true,
    relax_column_count: false,
    // A quoted field is a string (possibly ""); an unquoted empty field is NULL.
    cast: (value, context) => (context.quoting ? value : value === "" ? null : value),
  });
  gunzip.on("error", (e) => parser.destroy(e));
  gunzip.pipe(parser);
  let header = true;
  for await (const record of parser as AsyncIterable<(string | null)[]>) {
    if (header) {
      header = false;
      if (record.join(",") !== CSV_HEADER.join(",")) throw new Error(`unexpected CSV header: ${record.join(",")}`);
      continue;
    }
    yield eventFromCsvRecord(record);
  }
}

/**
 * Verifies an export offline: the manifest's signature against `jwks`, the file's hash and size,
 * and the chain segment inside the file. Never throws for a bad export: problems are listed.
 */
export async function verifyExport(file: string, manifestJson: string, jwks: JSONWebKeySet): Promise<ExportVerification> {
  const problems: string[] = [];
  const lines: string[] = [];
  let signed: SignedManifest;
  try {
    signed = JSON.parse(manifestJson) as SignedManifest;
  } catch {
    return { ok: false, problems: ["The manifest is not JSON."], rows: 0, chained: 0, tenant: null, format: null, lines };
  }
  const manifest = manifestWithoutSignature(signed);
  try {
    const v = await verifyPlatformJws(String(signed.signature ?? ""), jwks, manifest);
    if (v.typ !== MANIFEST_TYP) problems.push(`The signature is not an export manifest signature (typ ${v.typ}).`);
    else lines.push(`signature: valid (platform key ${v.kid})`);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }

  const { hex, bytes } = await sha256OfFile(file);
  if (hex !== manifest.sha256) problems.push(`The file's SHA-256 is ${hex}, the manifest says ${manifest.sha256}.`);
  else if (String(bytes) !== manifest.bytes) problems.push(`The file has ${bytes} bytes, the manifest says ${manifest.bytes}.`);
  else lines.push(`file: SHA-256 ${hex} (${bytes} bytes) matches`);

  let rows = 0;
  let chained = 0;
  let unchained = 0;
  let first: string | null = null;
  let last: string | null = null;
  let prev: { seq: bigint; hash: string } | null = null;
  const complete = manifest.segment === "complete";
  const linkProblem = (msg: string) => {
    if (problems.length < 50) problems.push(msg);
  };
  try {
    for await (const e of eventsOf(file, manifest.format)) {
      rows++;
      if (e.tenantId !== manifest.tenant?.id) linkProblem(`Row ${rows} belongs to tenant ${e.tenantId}, not ${manifest.tenant?.id}.`);
      if (e.seq === null) {
        unchained++;
        continue;
      }
      chained++;
      const seq = BigInt(e.seq);
      first ??= e.seq;
      last = e.seq;
      if (!e.prevHash || !e.hash) {
        linkProblem(`Event ${seq} has no chain hashes.`);
        continue;
      }
      const recomputed = Buffer.from(eventHash(Buffer.from(e.prevHash, "hex"), chainedEventOf(e))).toString("hex");
      if (recomputed !== e.hash) linkProblem(`Event ${seq}: its hash does not match its content (changed after it was chained).`);
      if (prev && seq <= prev.seq) linkProblem(`Event ${seq} comes after event ${prev.seq}: out of order.`);
      if (prev && seq === prev.seq + 1n && e.prevHash !== prev.hash) linkProblem(`Event ${seq} does not link to event ${prev.seq}.`);
      if (complete) {
        if (!prev && (seq !== BigInt(manifest.chain.baseSeq) + 1n || e.prevHash !== manifest.chain.baseHash)) {
          linkProblem(`The export starts at event ${seq}, not right after the chain's retention base ${manifest.chain.baseSeq}.`);
        }
        if (prev && seq !== prev.seq + 1n) linkProblem(`Event ${prev.seq + 1n} is missing from a complete export.`);
      }
      prev = { seq, hash: e.hash };
    }
  } catch (err) {
    problems.push(`The file could not be read as ${manifest.format}.gz: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (String(rows) !== manifest.count) problems.push(`The file has ${rows} events, the manifest says ${manifest.count}.`);
  if (String(unchained) !== (manifest.unchainedCount ?? "0")) problems.push(`The file has ${unchained} unchained events, the manifest says ${manifest.unchainedCount}.`);
  if (first !== manifest.firstSeq || last !== manifest.lastSeq) problems.push(`The file spans events ${first}–${last}, the manifest says ${manifest.firstSeq}–${manifest.lastSeq}.`);
  if (complete && (last ?? manifest.chain.baseSeq) !== manifest.chain.headSeq) problems.push(`A complete export must end at the chain head ${manifest.chain.headSeq}, this one ends at ${last}.`);
  if (complete && prev && prev.hash !== manifest.chain.headHash) problems.push(`The last event's hash is not the chain head hash in the manifest.`);
  if (!problems.length) lines.push(`events: ${rows} (${chained} chained${unchained ? `, ${unchained} from before the chain` : ""}), hashes recomputed, links intact${complete ? ", complete up to the chain head" : ""}`);
  return { ok: problems.length === 0, problems, rows, chained, tenant: manifest.tenant?.slug ?? null, format: manifest.format ?? null, lines };
}
