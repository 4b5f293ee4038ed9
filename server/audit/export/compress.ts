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
 * stream of the concatenated content. Each EXPORT_MEMBER_BYTES of input becomes one member; up to
 * EXPORT_GZIP_PARALLEL members are compressed at once on libuv's thread pool, and they come out in
 * input order. Resetting the dictionary every 4 MiB costs well under 0.1 % of the size.
 */
export const EXPORT_MEMBER_BYTES = 4 << 20;
export const EXPORT_GZIP_PARALLEL = 2;

export function parallelGzip(memberBytes: number = EXPORT_MEMBER_BYTES, parallel: number = EXPORT_GZIP_PARALLEL): Transform {
  const options: ZlibOptions = { level: EXPORT_GZIP_LEVEL, windowBits: EXPORT_GZIP_WINDOW_BITS, chunkSize: GZIP_CHUNK_BYTES };
  const queue: Promise<Buffer>[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  let members = 0;
  const compress = (piece: Buffer) => {
    const job = gzipAsync(piece, options);
    // Awaited in order later; until then a failure must not count as unhandled.
    job.catch(() => undefined);
    queue.push(job);
    members++;
  };
  const take = () => {
    const piece = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts = [];
    size = 0;
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
      parts.push(chunk);
      size += chunk.length;
      if (size < memberBytes) return done();
      compress(take());
      emit(this, parallel - 1).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      // An empty input is still one (empty) member: a valid gzip file.
      if (size > 0 || members === 0) compress(take());
      emit(this, 0).then(() => done(), done);
    },
  });
}

/** The export's compressor. The bench's COPY | gzip baseline uses the same. */
export function exportCompression(): Transform[] {
  return [parallelGzip()];
}
