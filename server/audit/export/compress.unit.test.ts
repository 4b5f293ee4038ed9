// The export's compression stage (compress.ts): independent gzip members, compressed in parallel,
// that gunzip — and Node's streaming gunzip, which the verifier uses — read back as exactly the
// input, in order, however the input was cut.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, gunzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parallelGzip } from "./compress";

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
});
