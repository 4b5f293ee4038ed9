// The export's compression stage (compress.ts): independent gzip members, compressed in parallel,
// that gunzip — and Node's streaming gunzip, which the verifier uses — read back as exactly the
// input, in order, however the input was cut.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, gunzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemberBuffers, parallelGzip } from "./compress";

async function run(input: Buffer[], stages: NodeJS.ReadWriteStream[]): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await pipeline([
    Readable.from(input),
    ...stages,
    new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
    }),
  ]);
  return out;
}

/** The gzip members of a file, counted by their header bytes (1f 8b 08; random data may add a rare false one). */
function memberCount(gz: Buffer): number {
  let n = 0;
  for (let i = 0; i + 2 < gz.length; i++) if (gz[i] === 0x1f && gz[i + 1] === 0x8b && gz[i + 2] === 0x08) n++;
  return n;
}

describe("export compression", () => {
  it("many members, in input order: gunzip gives back exactly the input", async () => {
    const input = Array.from({ length: 64 }, (_, i) => Buffer.concat([randomBytes(20_000), Buffer.from(`tenant,${i},hash\r\n`.repeat(500))]));
    const gz = Buffer.concat(await run(input, [parallelGzip(100_000, 3)]));
    expect(gunzipSync(gz).equals(Buffer.concat(input))).toBe(true);
    // 64 pieces of ~28.5 kB, a member every ≥ 100 kB: 4 pieces each, 16 members.
    expect(memberCount(gz)).toBeGreaterThanOrEqual(16);
    const streamed = Buffer.concat(await run([gz], [createGunzip()]));
    expect(streamed.equals(Buffer.concat(input))).toBe(true);
  });

  it("an input smaller than a member is one member; an empty input is one empty member", async () => {
    expect(gunzipSync(Buffer.concat(await run([Buffer.from("a"), Buffer.from("b")], [parallelGzip(1000, 2)]))).toString()).toBe("ab");
    const empty = Buffer.concat(await run([], [parallelGzip(1000, 2)]));
    expect(empty.length).toBeGreaterThan(0);
    expect(gunzipSync(empty).length).toBe(0);
  });

  it("lent buffers come back only once compressed, and refilled at once they still compress to what was written", async () => {
    // A producer like the JSONL writer: it fills a lent buffer, hands it on whole, takes the next.
    const member = 64 * 1024;
    const lender = new MemberBuffers(member, 3);
    const written: Buffer[] = [];
    let distinct = 0;
    const seen = new WeakSet<ArrayBufferLike>();
    const producer = new Readable({
      read() {
        if (written.length === 40) return this.push(null);
        const b = lender.take();
        if (!seen.has(b.buffer)) {
          seen.add(b.buffer);
          distinct++;
        }
        // Different content in every member: a buffer handed back too early would be overwritten
        // while zlib still reads it, and the file would not be what was written.
        b.fill(written.length % 251);
        b.write(`member ${written.length} `.repeat(50), "latin1");
        written.push(Buffer.from(b));
        this.push(b);
      },
    });
    const out: Buffer[] = [];
    await pipeline([
      producer,
      parallelGzip(member, 2, lender),
      new Writable({
        write(chunk: Buffer, _e, done) {
          out.push(chunk);
          done();
        },
      }),
    ]);
    const gz = Buffer.concat(out);
    expect(gunzipSync(gz).equals(Buffer.concat(written))).toBe(true);
    // Forty members from a handful of buffers.
    expect(distinct).toBeLessThan(10);
  });

  it("takes back only its own whole buffers", () => {
    const lender = new MemberBuffers(1024, 2);
    const own = lender.take();
    lender.give(own.subarray(10));
    lender.give(Buffer.alloc(1024));
    expect(lender.take().buffer).not.toBe(own.buffer);
    lender.give(own.subarray(0, 100));
    expect(lender.take().buffer).toBe(own.buffer);
    // Bigger than a member: a buffer of its own, never kept.
    const big = lender.take(4096);
    expect(big.length).toBe(4096);
    lender.give(big);
    expect(lender.take().buffer).not.toBe(big.buffer);
  });
});
