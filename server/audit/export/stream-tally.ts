// The manifest's totals (rows, unchained rows, first and last chain position) counted from the
// bytes the COPY path writes, as they stream past (issue 16). A separate count over the same
// snapshot was a second pass over the tenant's history before the first byte went out: ~0.9 s of
// a 6 s export of 1M events. Counted here, the manifest describes exactly the records in the file.
//
// CSV only: the JSONL export counts its totals from the values it writes its lines from
// (jsonl-from-binary.ts). Only the start of each record is read: its `seq` is the second field
// (after tenant_id, a UUID, never quoted). The record boundaries come from the COPY protocol
// itself: every row is one message, and server/db/copy-rows.ts says where each ends (`records()`).
// A start cut off by a chunk boundary is carried into the next chunk (`chunk()`).

type SeqField = "short" | "null" | { start: number; end: number };

/** Reads the seq of the record that starts at `pos`: its byte range, "null", or "short" (needs more bytes). */
export type SeqReader = (buf: Buffer, pos: number) => SeqField;

const COMMA = 0x2c;
const UUID_LENGTH = 36;

function unexpected(): never {
  throw new Error("export stream: a record's chain position could not be read");
}

/** CSV: `tenant_id,seq,…` with seq digits, or empty for NULL. */
export const csvSeq: SeqReader = (buf, pos) => {
  const c1 = buf.indexOf(COMMA, pos);
  if (c1 === -1) return "short";
  // The first field is the tenant's UUID: anything else is not a record start.
  if (c1 - pos !== UUID_LENGTH) unexpected();
  const c2 = buf.indexOf(COMMA, c1 + 1);
  if (c2 === -1) return "short";
  return c2 === c1 + 1 ? "null" : { start: c1 + 1, end: c2 };
};

/**
 * A record's seq is within this many bytes of its start (a UUID, a separator, up to 20 digits);
 * more without finding it means the stream is not what the reader expects.
 */
const MAX_HEAD = 256;

export interface StreamTotals {
  rows: number;
  unchained: number;
  firstSeq: bigint | null;
  lastSeq: bigint | null;
}

export class StreamTally {
  private rows = 0;
  private unchained = 0;
  private firstSeq: bigint | null = null;
  // The last seq seen, as a byte range of the chunk holding it (one string per export, not per row).
  private lastBuf: Buffer | null = null;
  private lastStart = 0;
  private lastEnd = 0;
  // The stream begins with a record start: an empty carry completed by the first chunk.
  private carry: Buffer | null = Buffer.alloc(0);
  private skip: number;

  /** `skipRecords`: records at the start that are not events (the CSV header). */
  constructor(
    private readonly read: SeqReader,
    skipRecords: number,
  ) {
    this.skip = skipRecords;
  }

  /** Called with every chunk before its record starts: completes a start the previous chunk cut off. */
  chunk(buf: Buffer): void {
    if (this.carry === null) return;
    const head = Buffer.concat([this.carry, buf.subarray(0, MAX_HEAD)]);
    this.carry = null;
    this.at(head, 0);
    // Still short with MAX_HEAD more bytes: not a record start.
    if (this.carry !== null && buf.length >= MAX_HEAD) unexpected();
  }

  /** A chunk of the stream and the offsets just past each record that ends in it (copy-rows.ts's onChunk). */
  records(buf: Buffer, ends: readonly number[]): void {
    this.chunk(buf);
    for (const end of ends) this.at(buf, end);
  }

  /** A record starts at `pos` of `buf` (possibly at its end: then it starts in the next chunk). */
  at(buf: Buffer, pos: number): void {
    // A record starts while the previous one's chain position is still unread: it ended before it.
    if (this.carry !== null) unexpected();
    if (this.skip > 0 && pos < buf.length) {
      this.skip--;
      return;
    }
    const f = this.read(buf, pos);
    if (f === "short") {
      if (buf.length - pos > MAX_HEAD) unexpected();
      this.carry = Buffer.from(buf.subarray(pos));
      return;
    }
    if (f !== "null" && f.end - pos > MAX_HEAD) unexpected();
    this.rows++;
    if (f === "null") {
      this.unchained++;
      return;
    }
    if (this.firstSeq === null) this.firstSeq = BigInt(buf.toString("latin1", f.start, f.end));
    this.lastBuf = buf;
    this.lastStart = f.start;
    this.lastEnd = f.end;
  }

  /** The totals once the stream has ended. */
  totals(): StreamTotals {
    if (this.carry !== null && this.carry.length > 0) throw new Error("export stream: it ended inside a record");
    return {
      rows: this.rows,
      unchained: this.unchained,
      firstSeq: this.firstSeq,
      lastSeq: this.lastBuf === null ? null : BigInt(this.lastBuf.toString("latin1", this.lastStart, this.lastEnd)),
    };
  }
}
