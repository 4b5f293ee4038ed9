// The export's compression stage (issue 16): gzip, in independent members compressed in parallel.
//
// Compression is the export's costliest stage after the database (the chain hashes in every row are
// incompressible hex). zlib's stream pays per piece (every write and every output chunk is a round
// trip to the thread pool) and compresses one piece after another; here each 4 MiB of input is
// compressed whole, with 256 KiB output chunks, two members at a time.
import { Transform, type TransformCallback } from "node:stream";
import { promisify } from "node:util";
import { gzip, type ZlibOptions } from "node:zlib";

const gzipAsync = promisify(gzip) as (input: Buffer, options: ZlibOptions) => Promise<Buffer>;

/**
 * gzip level of export files: level 1 is ~1.4× faster than 6 for files ~4 % larger (measured on
 * bench-shaped CSV).
 */
export const EXPORT_GZIP_LEVEL = 1;
/**
 * A 4 KiB window (windowBits 12) instead of zlib's 32 KiB: an audit event's repeats (its keys,
 * actor, action, user agent) are in the events just before it, and with the smaller window level 1
 * compressed bench-shaped JSONL at 240 MB/s instead of 175 and CSV at 200 instead of 125, into
 * files a little smaller (21.7 % vs 22.3 %, 28.1 % vs 29.8 %). The window is the compressor's
 * choice only: gzip has no field for it and every inflater reads the result with its own 32 KiB.
 */
export const EXPORT_GZIP_WINDOW_BITS = 12;
/** zlib's output chunk. */
const GZIP_CHUNK_BYTES = 256 << 10;

/**
 * gzip in independent members, compressed two at a time (issue 16). One gzip stream compresses one
 * piece after another on one thread, and at ~130 MB/s it was the export's slowest stage while the
 * database's core waited on it. A gzip file may hold several members one after another (RFC 1952
 * §2.2); gunzip, zcat, Node's zlib, Python's gzip and the console's own verifier read them as one
 * stream of the concatenated content. Each EXPORT_MEMBER_BYTES of input becomes one member (an
 * input chunk of at least half that, one as it is); up to EXPORT_GZIP_PARALLEL members are compressed at once on libuv's thread pool, and they come out in
 * input order. Resetting the dictionary every 4 MiB costs well under 0.1 % of the size.
 */
export const EXPORT_MEMBER_BYTES = 4 << 20;
export const EXPORT_GZIP_PARALLEL = 2;

/**
 * Member-sized buffers lent by a producer to parallelGzip and handed back once compressed
 * (issue 16). Every large buffer is external memory to V8, and allocating one per member started
 * a full garbage collection every few members (~40 per 1M-event JSONL export, a sixth of Node's
 * time). A buffer comes back only when it went to zlib whole (not joined with others) and zlib has
 * finished reading it; until then the producer takes fresh ones.
 */
export class MemberBuffers {
  private readonly free: ArrayBuffer[] = [];
  private readonly lent = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly bytes: number = EXPORT_MEMBER_BYTES,
    /** Idle buffers kept: those being compressed, and the one being filled. */
    private readonly keep: number = EXPORT_GZIP_PARALLEL + 1,
  ) {}

  /** A buffer of `bytes` (or `atLeast`, when more), not in use by anyone. */
  take(atLeast = 0): Buffer {
    const free = atLeast <= this.bytes ? this.free.pop() : undefined;
    if (free) return Buffer.from(free);
    const b = Buffer.allocUnsafeSlow(Math.max(this.bytes, atLeast));
    if (b.length === this.bytes) this.lent.add(b.buffer);
    return b;
  }

  /** The compressor is done with `chunk`: its memory is free again if it is one of ours. */
  give(chunk: Buffer): void {
    if (chunk.byteOffset !== 0 || !this.lent.has(chunk.buffer) || this.free.length >= this.keep) return;
    this.free.push(chunk.buffer as ArrayBuffer);
  }
}

export function parallelGzip(memberBytes: number = EXPORT_MEMBER_BYTES, parallel: number = EXPORT_GZIP_PARALLEL, lender?: MemberBuffers): Transform {
  const options: ZlibOptions = { level: EXPORT_GZIP_LEVEL, windowBits: EXPORT_GZIP_WINDOW_BITS, chunkSize: GZIP_CHUNK_BYTES };
  // Pieces joined here go into these (the producer's, when it lends its own).
  const buffers = lender ?? new MemberBuffers(memberBytes);
  const queue: Promise<Buffer>[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  let members = 0;
  const compress = (piece: Buffer) => {
    const job = gzipAsync(piece, options);
    // Once the job is done zlib has read all of the piece: a lent buffer is free again.
    void job.then(() => buffers.give(piece), () => undefined);
    // Awaited in order later; until then a failure must not count as unhandled.
    job.catch(() => undefined);
    queue.push(job);
    members++;
  };
  /** The first `n` bytes waiting (all of them when fewer) as one piece; a single part as it is. */
  const take = (n: number) => {
    if (parts.length === 1 && parts[0]!.length <= n) {
      const piece = parts[0]!;
      parts = [];
      size = 0;
      return piece;
    }
    const piece = buffers.take(n).subarray(0, Math.min(n, size));
    let at = 0;
    while (at < piece.length) {
      const p = parts[0]!;
      const used = p.copy(piece, at, 0, Math.min(p.length, piece.length - at));
      at += used;
      if (used === p.length) parts.shift();
      else parts[0] = p.subarray(used);
    }
    size -= piece.length;
    return piece;
  };
  // Emits finished members, oldest first, until at most `max` are still being compressed.
  const emit = async (t: Transform, max: number) => {
    while (queue.length > max) t.push(await queue.shift()!);
  };
  return new Transform({
    // Input waiting for a compressor: a member's worth, so the database keeps streaming meanwhile.
    writableHighWaterMark: memberBytes,
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      // A chunk of most of a member's size is a member as it is: joining it with the next would
      // copy it (the JSONL writer hands on whole buffers of EXPORT_MEMBER_BYTES).
      if (size === 0 && chunk.length >= memberBytes / 2) {
        compress(chunk);
        emit(this, parallel - 1).then(() => done(), done);
        return;
      }
      parts.push(chunk);
      size += chunk.length;
      if (size < memberBytes) return done();
      // Members of exactly memberBytes, joined into the stage's own reusable buffers.
      while (size >= memberBytes) compress(take(memberBytes));
      emit(this, parallel - 1).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      // An empty input is still one (empty) member: a valid gzip file.
      if (size > 0 || members === 0) compress(take(size));
      emit(this, 0).then(() => done(), done);
    },
  });
}

/** The export's compressor (`lender`: the buffers its producer writes into). The bench's COPY | gzip baseline uses the same. */
export function exportCompression(lender?: MemberBuffers): Transform[] {
  return [parallelGzip(EXPORT_MEMBER_BYTES, EXPORT_GZIP_PARALLEL, lender)];
}
