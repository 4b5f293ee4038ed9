// The export's compression stage (compress.ts): gathering changes how the bytes are cut, never the
// bytes; the gzip output is one valid gzip stream of exactly the input.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { exportCompression, gather } from "./compress";

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

describe("export compression", () => {
  it("gather passes every byte in order, in pieces of at least the minimum (the last may be smaller)", async () => {
    const input = Array.from({ length: 300 }, (_, i) => Buffer.from(`row ${i},${"x".repeat(i % 50)}\r\n`));
    const out = await run(input, [gather(1000)]);
    expect(Buffer.concat(out).equals(Buffer.concat(input))).toBe(true);
    expect(out.length).toBeGreaterThan(1);
    for (const piece of out.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(1000);
  });

  it("an input smaller than the minimum comes out whole at the end; an empty one, empty", async () => {
    expect(Buffer.concat(await run([Buffer.from("a"), Buffer.from("b")], [gather(1000)])).toString()).toBe("ab");
    expect(await run([], [gather(1000)])).toEqual([]);
  });

  it("gathered gzip is one gzip stream of exactly the input", async () => {
    const input = Array.from({ length: 64 }, () => Buffer.concat([randomBytes(20_000), Buffer.from("tenant,seq,hash\r\n".repeat(500))]));
    const gz = Buffer.concat(await run(input, exportCompression()));
    expect(gunzipSync(gz).equals(Buffer.concat(input))).toBe(true);
  });
});
