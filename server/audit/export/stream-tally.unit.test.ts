// The manifest's totals counted from the COPY stream (stream-tally.ts, fed as the COPY path feeds
// it: each chunk with the offsets where its rows end, server/db/copy-rows.ts): the same totals
// whatever the chunk boundaries, which cut through record starts, seq values, quoted fields with
// line breaks and the CSV header.
import { describe, expect, it } from "vitest";
import { csvSeq, StreamTally, type StreamTotals } from "./stream-tally";

const TENANT = "a5639873-bb18-4a78-b691-3579566a7327";
const HEADER = "tenant_id,seq,occurred_at,action,before,hash\n";

/** Events as COPY prints them: seq null for unchained rows, a multi-line quoted field now and then. */
function events(n: number, rand: () => number): { seq: number | null; csv: string }[] {
  let seq = 40;
  return Array.from({ length: n }, () => {
    const chained = rand() > 0.2;
    const s = chained ? ++seq : null;
    const before = rand() > 0.7 ? '"{""note"": ""two\nlines, \'=1""}"' : "";
    return {
      seq: s,
      csv: `${TENANT},${s ?? ""},2026-12-06T10:00:00.000Z,client.updated,${before},${"ab".repeat(32)}\n`,
    };
  });
}

function expected(list: { seq: number | null }[]): StreamTotals {
  const chained = list.filter((e) => e.seq !== null).map((e) => BigInt(e.seq!));
  return { rows: list.length, unchained: list.length - chained.length, firstSeq: chained[0] ?? null, lastSeq: chained.at(-1) ?? null };
}

/** Feeds `records` to the tally in random chunks, each with the offsets of the row ends inside it. */
function run(tally: StreamTally, records: string[], rand: () => number): StreamTotals {
  const bytes = Buffer.from(records.join(""));
  const ends: number[] = [];
  let at = 0;
  for (const r of records) ends.push((at += Buffer.byteLength(r)));
  let next = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rand() * (rand() > 0.5 ? 7 : 400));
    const chunk = bytes.subarray(i, i + n);
    const inChunk: number[] = [];
    while (next < ends.length && ends[next]! <= i + chunk.length) inChunk.push(ends[next++]! - i);
    tally.records(chunk, inChunk);
    i += chunk.length;
  }
  return tally.totals();
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("StreamTally", () => {
  it("counts rows, unchained rows and the first and last chain position of a CSV export, header skipped", () => {
    const rand = random(11);
    for (let round = 0; round < 60; round++) {
      const list = events(Math.floor(rand() * 40), rand);
      const got = run(new StreamTally(csvSeq, 1), [HEADER, ...list.map((e) => e.csv)], rand);
      expect(got).toEqual(expected(list));
    }
  });

  it("refuses a stream that ends inside a record or whose records do not start as expected", () => {
    // The last record's start is read, but the stream ends before the record does.
    const cut = new StreamTally(csvSeq, 1);
    cut.records(Buffer.from(HEADER + TENANT), [HEADER.length]);
    expect(() => cut.totals()).toThrow(/ended inside a record/);
    expect(() => run(new StreamTally(csvSeq, 0), [`${"x".repeat(300)},1,2\n`], random(1))).toThrow(/chain position could not be read/);
  });
});
