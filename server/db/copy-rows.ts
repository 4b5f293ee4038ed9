// The rows of a `COPY … TO STDOUT`, decoded straight from the wire with their boundaries (issue 16).
//
// PostgreSQL sends every row of a COPY TO as exactly ONE CopyData message ("always one per row",
// Frontend/Backend Protocol, COPY Operations). pg-copy-streams hands on the messages' contents glued
// together, which loses where the rows end: the audit export then had to find its CSV record ends
// again by walking every quote and line feed of the text (a record can hold line feeds inside a
// quoted field), and cut and re-join the bytes to write CRLF — the largest cost of the export in
// Node. Here the messages' headers are squeezed out of each chunk in place, a row's line end is
// written as the caller wants it, and the caller is told where each row ends: no scanning, no
// copies to re-join.
//
// CopyDataDecoder is the protocol part, a pure function of the bytes (unit-tested with every
// chunking). copyRows() puts it in place of pg-copy-streams' own decoder (the `_parse` step of its
// CopyToStreamQuery, which pg-copy-streams 7 calls with each socket chunk and which hands the
// socket back to pg when the copy ends); everything else — submitting the query, pausing the
// socket, errors, the end — stays pg-copy-streams'.
import type { Readable } from "node:stream";
import { to as copyTo, type CopyToStreamQuery } from "pg-copy-streams";

const LF = 0x0a;
const CR = 0x0d;
/** Message types (protocol-message-formats). */
const ERROR_RESPONSE = 0x45; // E
const COPY_DATA = 0x64; // d
/** Messages that may come before or between CopyData (CopyOutResponse, notices, …); any other ends the copy. */
const WITHIN_COPY = new Set([0x48 /* H */, COPY_DATA, 0x53 /* S */, 0x4e /* N */, 0x41 /* A */]);

const CODE = 0;
const LENGTH = 1;
const BODY = 2;

export interface DecodedChunk {
  /** The rows' bytes in this chunk (a row may begin in an earlier chunk or go on in the next). */
  out: Buffer;
  /** Offsets in `out` just past each row that ended in this chunk (where the next row starts). */
  ends: number[];
  /** Set when the copy is over: "done" after CopyDone, "error" at an ErrorResponse. `rest`: the bytes after it (error: from it), which belong to pg. */
  end: { kind: "done" | "error"; rest: Buffer } | null;
}

/**
 * Decodes a COPY TO's messages chunk by chunk; `crlf` ends every row with CRLF instead of its LF.
 * It takes each chunk over: the rows are written into the chunk itself, over the message headers
 * already read (a copy per row into a new buffer cost an allocation per row and per chunk).
 */
export class CopyDataDecoder {
  private state = CODE;
  private code = 0;
  private lengthBytes = 0;
  private length = 0;
  private unread = 0;

  constructor(private readonly crlf: boolean) {}

  decode(chunk: Buffer): DecodedChunk {
    const ends: number[] = [];
    // Rows are written at `o`, messages read at `p`. Each message's 5 header bytes stay behind, so
    // `o` never passes `p` — except once: a row this chunk began inside (its header came earlier)
    // grows by its CR, and its LF lands on the next message's first byte, read beforehand (`ahead`).
    let o = 0;
    let p = 0;
    let ahead = -1;
    const result = (end: DecodedChunk["end"]): DecodedChunk => ({ out: chunk.subarray(0, o), ends, end });
    while (p < chunk.length) {
      if (this.state === CODE) {
        const code = ahead >= 0 ? ahead : chunk[p]!;
        // An error ends the copy: pg reads the ErrorResponse itself (its first byte restored if a row overwrote it).
        if (code === ERROR_RESPONSE) return result({ kind: "error", rest: ahead >= 0 ? Buffer.concat([Buffer.from([code]), chunk.subarray(p + 1)]) : chunk.subarray(p) });
        ahead = -1;
        this.code = code;
        p++;
        this.state = LENGTH;
        this.lengthBytes = 0;
        this.length = 0;
        continue;
      }
      if (this.state === LENGTH) {
        // Int32 big-endian, counting itself; it may be cut by the chunk's end.
        while (this.lengthBytes < 4 && p < chunk.length) {
          this.length = this.length * 256 + chunk[p++]!;
          this.lengthBytes++;
        }
        if (this.lengthBytes < 4) break;
        this.unread = this.length - 4;
        if (this.unread < 0 || (this.code === COPY_DATA && this.unread === 0)) throw new Error("COPY: malformed message from the server");
        this.state = BODY;
      }
      const n = Math.min(this.unread, chunk.length - p);
      if (this.code === COPY_DATA) {
        const completes = n === this.unread;
        if (completes && this.crlf) {
          // The row's last byte is its line end: CR goes in before it.
          if (chunk[p + n - 1] !== LF) throw new Error("COPY: a row did not end with a line feed");
          if (o === p && p + n === chunk.length) {
            // The chunk is nothing but the end of a row: one byte too short for its CRLF.
            const out = Buffer.allocUnsafe(n + 1);
            chunk.copy(out, 0, 0, n - 1);
            out[n - 1] = CR;
            out[n] = LF;
            this.unread = 0;
            this.state = CODE;
            return { out, ends: [n + 1], end: null };
          }
          if (o === p) ahead = chunk[p + n]!;
          else chunk.copyWithin(o, p, p + n - 1);
          o += n - 1;
          chunk[o++] = CR;
          chunk[o++] = LF;
        } else {
          if (o !== p) chunk.copyWithin(o, p, p + n);
          o += n;
        }
        if (completes) ends.push(o);
      }
      p += n;
      this.unread -= n;
      if (this.unread > 0) break;
      this.state = CODE;
      if (!WITHIN_COPY.has(this.code)) return result({ kind: "done", rest: chunk.subarray(p) });
    }
    return result(null);
  }
}

export interface CopyRowsOptions {
  /** End every row with CRLF (RFC 4180) instead of COPY's LF. */
  crlf: boolean;
  /** Sees every chunk before it goes on, with the offsets just past each row that ends in it. */
  onChunk?: (chunk: Buffer, ends: readonly number[]) => void;
}

/** pg-copy-streams 7's CopyToStreamQuery, as far as copyRows replaces its decoding. */
interface CopyToInternals extends Readable {
  _parse(chunk: Buffer): boolean | undefined;
  _buffer: { push(b: Buffer): void };
  _detach(): void;
  _cleanup(): void;
}

/**
 * A `COPY … TO STDOUT` stream (submit it with client.query) whose chunks are whole bytes of rows,
 * each row ended by LF, or CRLF with `crlf`. `onChunk` sees every chunk before it is pushed on,
 * with the offsets where its rows end.
 */
export function copyRows(sql: string, opts: CopyRowsOptions): CopyToStreamQuery {
  const stream = copyTo(sql) as unknown as CopyToInternals;
  // Fail at once, not with wrong bytes, should a pg-copy-streams release rename what is replaced here.
  if (typeof stream._parse !== "function" || typeof stream._detach !== "function" || typeof stream._cleanup !== "function" || typeof stream._buffer?.push !== "function") {
    throw new Error("copyRows: pg-copy-streams is not the version this decoder replaces (7.x)");
  }
  const decoder = new CopyDataDecoder(opts.crlf);
  stream._parse = function parse(this: CopyToInternals, chunk: Buffer) {
    let r: DecodedChunk;
    try {
      r = decoder.decode(chunk);
      if (r.out.length > 0 || r.ends.length > 0) opts.onChunk?.(r.out, r.ends);
    } catch (e) {
      // Called from the socket's "readable" event: a throw would be uncaught. The stream fails
      // instead (and with it the caller's pipeline); the connection is then dropped by its door.
      this.destroy(e as Error);
      return false;
    }
    const drained = r.out.length > 0 ? this.push(r.out) : true;
    if (!r.end) return drained;
    // The copy is over: the bytes after it go back to pg (as pg-copy-streams does).
    if (r.end.rest.length > 0) this._buffer.push(r.end.rest);
    this._detach();
    if (r.end.kind === "error") return undefined;
    this.push(null);
    this._cleanup();
    return drained;
  };
  return stream as unknown as CopyToStreamQuery;
}
