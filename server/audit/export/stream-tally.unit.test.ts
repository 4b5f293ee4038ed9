// The manifest's totals counted from the COPY stream (stream-tally.ts through copy.ts's record
// finders): the same totals whatever the chunk boundaries, which cut through record starts, seq
// values, quoted fields with line breaks and the CSV header.
import { describe, expect, it } from "vitest";
import type { Transform } from "node:stream";
import { csvCrlf, lineCounter } from "./copy";
import { csvSeq, jsonlSeq, StreamTally, type StreamTotals } from "./stream-tally";

const TENANT = "a5639873-bb18-4a78-b691-3579566a7327";
const HEADER = "tenant_id,seq,occurred_at,action,before,hash\n";

/** Events as COPY prints them: seq null for unchained rows, a multi-line quoted field now and then. */
function events(n: number, rand: () => number): { seq: number | null; csv: string; jsonl: string }[] {
  let seq = 40;
  return Array.from({ length: n }, (_, i) => {
    const chained = rand() > 0.2;
    const s = chained ? ++seq : null;
    const before = rand() > 0.7 ? '"{""note"": ""two\nlines, \'=1""}"' : "";
    return {
      seq: s,
      csv: `${TENANT},${s ?? ""},2026-12-06T10:00:00.000Z,client.updated,${before},${"ab".repeat(32)}\n`,
      jsonl: `{"tenantId":"${TENANT}","seq":${s === null ? "null" : `"${s}"`},"action":"seq\\":1","after":{"seq": "9"},"i":${i}}\n`,
    };
  });
}

function expected(list: { seq: number | null }[]): StreamTotals {
  const chained = list.filter((e) => e.seq !== null).map((e) => BigInt(e.seq!));
  return { rows: list.length, unchained: list.length - chained.length, firstSeq: chained[0] ?? null, lastSeq: chained.at(-1) ?? null };
}

async function run(t: Transform, tally: StreamTally, bytes: Buffer, rand: () => number): Promise<StreamTotals> {
  t.resume();
  const ended = new Promise((resolve) => t.on("end", resolve));
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rand() * (rand() > 0.5 ? 7 : 400));
    t.write(bytes.subarray(i, i + n));
    i += n;
  }
  t.end();
  await ended;
  return tally.totals();
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("StreamTally", () => {
  it("counts rows, unchained rows and the first and last chain position of a CSV export, header skipped", async () => {
    const rand = random(11);
    for (let round = 0; round < 60; round++) {
      const list = events(Math.floor(rand() * 40), rand);
      const tally = new StreamTally(csvSeq, 1);
      let records = 0;
      const got = await run(csvCrlf((n) => (records += n), tally), tally, Buffer.from(HEADER + list.map((e) => e.csv).join("")), rand);
      expect(got).toEqual(expected(list));
      expect(records).toBe(list.length + 1);
    }
  });

  it("does the same for JSONL lines", async () => {
    const rand = random(5);
    for (let round = 0; round < 60; round++) {
      const list = events(Math.floor(rand() * 40), rand);
      const tally = new StreamTally(jsonlSeq, 0);
      const got = await run(lineCounter(() => undefined, tally), tally, Buffer.from(list.map((e) => e.jsonl).join("")), rand);
      expect(got).toEqual(expected(list));
    }
  });

  it("refuses a stream that ends inside a record or whose records do not start as expected", async () => {
    const cut = new StreamTally(csvSeq, 1);
    await expect(run(csvCrlf(() => undefined, cut), cut, Buffer.from(`${HEADER}${TENANT}`), random(1))).rejects.toThrow(/ended inside a record/);
    const odd = new StreamTally(csvSeq, 0);
    const t = csvCrlf(() => undefined, odd);
    const failed = new Promise((resolve) => t.on("error", resolve));
    t.write(Buffer.from(`${"x".repeat(300)},1,2\n`));
    expect(String(await failed)).toMatch(/chain position could not be read/);
  });
});
