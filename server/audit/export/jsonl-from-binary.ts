// The JSONL export's lines, joined in Node from a binary `COPY … TO STDOUT` (issue 16).
//
// Formatting JSONL in SQL (to_json of every string, concatenating seventeen keys and values) cost
// the database twice the CSV's time, and on two cores the database's one core was the export's
// bottleneck (0.38× raw COPY, target 0.5×). Now the database sends each field on its own — the
// fixed ones already as text (UUID, seq, ISO time, hex: cheap in SQL), free text and jsonb as
// stored — and the lines are joined here, on the other core, byte by byte into large buffers:
//
//   {"tenantId":"<uuid>","seq":"<n>"|null,"occurredAt":"<iso>","actorType":<JSON string>,…,
//    "before":<jsonb text>|null,…,"prevHash":"<hex>"|null,"hash":"<hex>"|null}\n
//
// The same keys in the same order as the paged path's jsonlLine (format.ts; the fields are
// copy.ts JSONL_FIELDS), strings escaped as JSON.stringify escapes them (\" \\ \b \t \n \f \r, other
// control characters as \u00xx, everything else as it is: text arrives as UTF-8, the client
// encoding pg sets). before/after are jsonb's own text, as in the COPY CSV (`{"a": 1}`: parsed, the
// same values, which is what the chain hash covers, server/audit/chain.ts).
//
// The binary format (PostgreSQL docs, COPY "Binary Format"): an 11-byte signature, a flags word, a
// header extension; then per row a 16-bit field count and per field a 32-bit length (−1: NULL) and
// the value in its type's send format (text: its bytes; jsonb: a version byte, then its text); a
// field count of −1 ends the data. Rows are read as they arrive, whatever the chunking; a row cut
// by a chunk's end waits for the rest.
//
// The manifest's totals (rows, unchained rows, first and last chain position) are counted here from
// the seq values themselves.
import { Transform, type TransformCallback } from "node:stream";
import { MemberBuffers } from "./compress";
import { JSONL_FIELDS } from "./copy";
import type { StreamTotals } from "./stream-tally";

const TEXT = 0;
const STRING = 1;
const JSONB = 2;
const KINDS = Int8Array.from(JSONL_FIELDS, ([, kind]) => (kind === "text" ? TEXT : kind === "string" ? STRING : JSONB));
const FIELDS = JSONL_FIELDS.length;
const SEQ = JSONL_FIELDS.findIndex(([key]) => key === "seq");
/** Fields that are never NULL (the chain's tenant and time). */
const REQUIRED = new Set(["tenantId", "occurredAt"].map((k) => JSONL_FIELDS.findIndex(([key]) => key === k)));

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** Signature, flags, header extension length. */
const HEADER_BYTES = SIGNATURE.length + 8;

/** `{"tenantId":`, `,"seq":`, … : what goes before each field's value. */
const PREFIXES = JSONL_FIELDS.map(([key], i) => Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(key)}:`, "latin1"));
const NULL = Buffer.from("null", "latin1");
const CLOSE = Buffer.from("}\n", "latin1");
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const JSONB_VERSION = 1;

/** JSON.stringify's short escapes by byte (0: none); other bytes below 0x20 become \u00xx. */
const SHORT_ESCAPE = new Uint8Array(0x60);
SHORT_ESCAPE[0x08] = 0x62; // \b
SHORT_ESCAPE[0x09] = 0x74; // \t
SHORT_ESCAPE[0x0a] = 0x6e; // \n
SHORT_ESCAPE[0x0c] = 0x66; // \f
SHORT_ESCAPE[0x0d] = 0x72; // \r
SHORT_ESCAPE[QUOTE] = QUOTE;
SHORT_ESCAPE[BACKSLASH] = BACKSLASH;
const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");

/** A line's bytes besides its values' (keys, quotes, braces), with room to spare. */
const LINE_OVERHEAD = 512;

function malformed(what: string): never {
  throw new Error(`export stream: ${what} (binary COPY)`);
}

export class JsonlFromBinary extends Transform {
  /** The start of a row the previous chunk cut off. */
  private pending: Buffer | null = null;
  private headerRead = false;
  private ended = false;
  private out: Buffer;
  /** Bytes of `out` written. */
  private o = 0;
  private readonly starts = new Int32Array(FIELDS);
  private readonly lengths = new Int32Array(FIELDS);
  private rows = 0;
  private unchained = 0;
  private firstSeq: string | null = null;
  /** The last seq seen, as a byte range of the chunk holding it (one string per export, not per row). */
  private lastSeqIn: Buffer | null = null;
  private lastSeqAt = 0;
  private lastSeqLength = 0;

  /**
   * Lines are written into the lender's buffers, each handed on whole when full: one gzip member's
   * worth, which the compressor takes as it is and gives back when compressed (compress.ts
   * MemberBuffers). Smaller pieces made the compressor join them into new buffers, and new large
   * buffers are external memory whose churn started V8's full garbage collections (~40 per
   * 1M-event export).
   */
  constructor(private readonly buffers: MemberBuffers = new MemberBuffers()) {
    super({ readableHighWaterMark: buffers.bytes });
    this.out = buffers.take();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let from = 0;
      if (this.pending) from = this.completePending(chunk);
      if (from >= 0) {
        const used = this.parse(chunk, from);
        if (used < chunk.length) this.pending = Buffer.from(chunk.subarray(used));
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (!this.ended || this.pending) return done(new Error("export stream: it ended inside the data (binary COPY)"));
    this.hand();
    done();
  }

  /** The manifest's totals once the stream has ended. */
  totals(): StreamTotals {
    const last = this.lastSeqIn?.toString("latin1", this.lastSeqAt, this.lastSeqAt + this.lastSeqLength);
    return {
      rows: this.rows,
      unchained: this.unchained,
      firstSeq: this.firstSeq === null ? null : BigInt(this.firstSeq),
      lastSeq: last === undefined ? null : BigInt(last),
    };
  }

  /**
   * Joins the cut-off row with as much of `chunk` as it needs (not the whole chunk: that would copy
   * every chunk once more) and writes it. Returns where the rest of `chunk` starts, or −1 when the
   * whole chunk went into a row still incomplete.
   */
  private completePending(chunk: Buffer): number {
    let pending = this.pending!;
    for (let take = Math.min(chunk.length, pending.length + 4096); ; take = Math.min(chunk.length, take * 2)) {
      const joined = Buffer.concat([pending, chunk.subarray(0, take)]);
      const used = this.parse(joined, 0, 1);
      if (used >= pending.length) {
        this.pending = null;
        return used - pending.length;
      }
      if (take === chunk.length) {
        this.pending = Buffer.from(joined.subarray(used));
        return -1;
      }
      // What it did read is not read again (the stream's header: the row is still incomplete).
      pending = pending.subarray(used);
    }
  }

  /** Pushes what was written (the buffer is then left to the consumer: renew or flush follow). */
  private hand(): void {
    if (this.o > 0) this.push(this.out.subarray(0, this.o));
  }

  /** Reads the header and up to `maxRows` whole rows of `d` from `p`; returns where it stopped. */
  private parse(d: Buffer, p: number, maxRows = Infinity): number {
    if (!this.headerRead) {
      if (d.length - p < HEADER_BYTES) return p;
      if (!d.subarray(p, p + SIGNATURE.length).equals(SIGNATURE)) malformed("no binary COPY signature");
      const extension = d.readUInt32BE(p + SIGNATURE.length + 4);
      if (d.length - p < HEADER_BYTES + extension) return p;
      p += HEADER_BYTES + extension;
      this.headerRead = true;
    }
    const { starts, lengths } = this;
    let rows = 0;
    while (rows < maxRows && p + 2 <= d.length) {
      if (this.ended) malformed("data after its end");
      const count = d.readInt16BE(p);
      if (count === -1) {
        this.ended = true;
        p += 2;
        continue;
      }
      if (count !== FIELDS) malformed(`a row of ${count} fields, expected ${FIELDS}`);
      // The whole row first: where each value is and how long its line can get.
      let q = p + 2;
      let bound = LINE_OVERHEAD;
      let f = 0;
      for (; f < FIELDS && q + 4 <= d.length; f++) {
        const n = d.readInt32BE(q);
        q += 4;
        starts[f] = q;
        lengths[f] = n;
        if (n > 0) {
          q += n;
          // A byte grows to at most 6 in a string (\u00xx).
          bound += 6 * n;
        }
      }
      if (f < FIELDS || q > d.length) break;
      if (this.out.length - this.o < bound) this.renew(bound);
      this.line(d);
      rows++;
      p = q;
    }
    return p;
  }

  /** A new output buffer with room for `bound` bytes (what was written is handed on first). */
  private renew(bound: number): void {
    this.hand();
    this.out = this.buffers.take(bound);
    this.o = 0;
  }

  /**
   * Copies bytes, four at a time. Not Buffer#copy: for a part of a buffer it makes a new view
   * object per call, ~6 million per 1M events, and costs as much as this loop up to ~100 bytes.
   */
  private put(src: Buffer, from: number, to: number): void {
    const out = this.out;
    let o = this.o;
    let i = from;
    for (; i + 4 <= to; i += 4, o += 4) {
      out[o] = src[i]!;
      out[o + 1] = src[i + 1]!;
      out[o + 2] = src[i + 2]!;
      out[o + 3] = src[i + 3]!;
    }
    for (; i < to; i++) out[o++] = src[i]!;
    this.o = o;
  }

  /** One row's line (its fields located in `starts`/`lengths`). */
  private line(d: Buffer): void {
    const { starts, lengths } = this;
    for (let f = 0; f < FIELDS; f++) {
      const prefix = PREFIXES[f]!;
      this.put(prefix, 0, prefix.length);
      const at = starts[f]!;
      const n = lengths[f]!;
      if (n < 0) {
        if (REQUIRED.has(f)) malformed(`${JSONL_FIELDS[f]![0]} is NULL`);
        if (f === SEQ) this.unchained++;
        this.put(NULL, 0, NULL.length);
        continue;
      }
      const kind = KINDS[f];
      if (kind === STRING) this.string(d, at, at + n);
      else if (kind === TEXT) {
        this.out[this.o++] = QUOTE;
        this.put(d, at, at + n);
        this.out[this.o++] = QUOTE;
        if (f === SEQ) this.seq(d, at, n);
      } else {
        if (n < 1 || d[at] !== JSONB_VERSION) malformed("a jsonb value of an unknown version");
        this.put(d, at + 1, at + n);
      }
    }
    this.put(CLOSE, 0, CLOSE.length);
    this.rows++;
  }

  private seq(d: Buffer, at: number, n: number): void {
    this.firstSeq ??= d.toString("latin1", at, at + n);
    this.lastSeqIn = d;
    this.lastSeqAt = at;
    this.lastSeqLength = n;
  }

  /** UTF-8 text as a JSON string, escaped as JSON.stringify escapes it. */
  private string(d: Buffer, from: number, to: number): void {
    this.out[this.o++] = QUOTE;
    // Nearly every value needs no escape: found so, it is copied whole.
    let clean = from;
    while (clean < to) {
      const b = d[clean]!;
      if (b < 0x20 || b === QUOTE || b === BACKSLASH) break;
      clean++;
    }
    this.put(d, from, clean);
    if (clean === to) {
      this.out[this.o++] = QUOTE;
      return;
    }
    const out = this.out;
    let o = this.o;
    for (let i = clean; i < to; i++) {
      const b = d[i]!;
      if (b >= 0x20 && b !== QUOTE && b !== BACKSLASH) {
        out[o++] = b;
        continue;
      }
      out[o++] = BACKSLASH;
      const short = SHORT_ESCAPE[b]!;
      if (short !== 0) {
        out[o++] = short;
        continue;
      }
      // \u00xx, lowercase as JSON.stringify writes it.
      out[o++] = 0x75;
      out[o++] = 0x30;
      out[o++] = 0x30;
      out[o++] = HEX_DIGITS[b >> 4]!;
      out[o++] = HEX_DIGITS[b & 15]!;
    }
    out[o++] = QUOTE;
    this.o = o;
  }
}
