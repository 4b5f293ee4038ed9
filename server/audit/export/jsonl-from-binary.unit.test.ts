// The JSONL export's line writer (jsonl-from-binary.ts), fed a binary COPY stream built here as
// PostgreSQL sends it: every line must be exactly what JSON.stringify makes of the same event
// (before/after aside: they are the database's jsonb text), whatever the chunking, and the totals
// must be the stream's. (export.test.ts runs it on a real server against the paged path.)
import { describe, expect, it } from "vitest";
import { JSONL_FIELDS } from "./copy";
import { JsonlFromBinary } from "./jsonl-from-binary";

type Value = string | null;
/** One row: a value per JSONL_FIELDS entry (jsonb as its text). */
type Row = Value[];

const HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])]);

function int(n: number, bytes: 2 | 4): Buffer {
  const b = Buffer.alloc(bytes);
  if (bytes === 2) b.writeInt16BE(n);
  else b.writeInt32BE(n);
  return b;
}

/** The stream PostgreSQL sends for `rows` (text as UTF-8, jsonb with its version byte). */
function binaryCopy(rows: Row[]): Buffer {
  const parts: Buffer[] = [HEADER];
  for (const r of rows) {
    parts.push(int(r.length, 2));
    r.forEach((v, i) => {
      if (v === null) return parts.push(int(-1, 4));
      const bytes = JSONL_FIELDS[i]![1] === "jsonb" ? Buffer.concat([Buffer.from([1]), Buffer.from(v)]) : Buffer.from(v);
      parts.push(int(bytes.length, 4), bytes);
    });
  }
  parts.push(int(-1, 2));
  return Buffer.concat(parts);
}

/** The line the paged path would write (format.ts jsonlLine = JSON.stringify), jsonb kept as text. */
function expectedLine(r: Row): string {
  const parts = JSONL_FIELDS.map(([key, kind], i) => {
    const v = r[i]!;
    const value = v === null ? "null" : kind === "jsonb" ? v : JSON.stringify(v);
    return `${JSON.stringify(key)}:${value}`;
  });
  return `{${parts.join(",")}}\n`;
}

async function convert(stream: Buffer, cut: (remaining: number) => number): Promise<{ text: string; t: JsonlFromBinary }> {
  const t = new JsonlFromBinary();
  const out: Buffer[] = [];
  t.on("data", (b: Buffer) => out.push(Buffer.from(b)));
  const finished = new Promise<void>((resolve, reject) => {
    t.on("end", resolve);
    t.on("error", reject);
  });
  for (let i = 0; i < stream.length; ) {
    const n = Math.max(1, Math.min(stream.length - i, cut(stream.length - i)));
    t.write(stream.subarray(i, i + n));
    i += n;
  }
  t.end();
  await finished;
  return { text: Buffer.concat(out).toString("utf8"), t };
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const TENANT = "a5639873-bb18-4a78-b691-3579566a7327";
/** Every character JSON.stringify escapes, and some it leaves alone (DEL, U+2028, non-ASCII, an emoji). */
const NASTY = [
  "",
  'quote " and back\\slash',
  Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join("") + "\x7f",
  "line\nbreak\r\n\ttab",
  "Zoë → 😀 \u2028\u2029",
  "=cmd|' /C calc'!A0",
  "x".repeat(700),
];

function row(i: number, rand: () => number): Row {
  const pick = () => NASTY[Math.floor(rand() * NASTY.length)]!;
  const chained = rand() > 0.2;
  return JSONL_FIELDS.map(([key, kind]) => {
    if (key === "tenantId") return TENANT;
    if (key === "seq") return chained ? String(1000 + i) : null;
    if (key === "occurredAt") return new Date(Date.UTC(2026, 11, 7, 4, 0, i)).toISOString();
    if (kind === "jsonb") return rand() > 0.5 ? null : `{"note": ${JSON.stringify(pick())}, "n": ${i}}`;
    if (kind === "text") return rand() > 0.3 ? "ab".repeat(32) : null;
    return rand() > 0.15 ? pick() : null;
  });
}

describe("JsonlFromBinary", () => {
  it("writes each row as the line JSON.stringify makes of it, however the stream is cut", async () => {
    const rand = random(7);
    for (let round = 0; round < 30; round++) {
      const rows = Array.from({ length: Math.floor(rand() * 30) }, (_, i) => row(i, rand));
      const stream = binaryCopy(rows);
      const sizes = [() => 1, () => 1 + Math.floor(rand() * 9), () => 1 + Math.floor(rand() * 5000), (rest: number) => rest];
      const { text, t } = await convert(stream, sizes[round % sizes.length]!);
      expect(text).toBe(rows.map(expectedLine).join(""));
      const seqs = rows.map((r) => r[1]!).filter((s): s is string => s !== null);
      expect(t.totals()).toEqual({
        rows: rows.length,
        unchained: rows.length - seqs.length,
        firstSeq: seqs.length ? BigInt(seqs[0]!) : null,
        lastSeq: seqs.length ? BigInt(seqs.at(-1)!) : null,
      });
    }
  });

  it("escapes exactly as JSON.stringify does, byte for byte", async () => {
    const rows = NASTY.map((s) => JSONL_FIELDS.map(([key, kind]) => (key === "tenantId" ? TENANT : key === "occurredAt" ? "2026-12-07T04:00:00.000Z" : kind === "string" ? s : null)));
    const { text } = await convert(binaryCopy(rows as Row[]), () => 3);
    const lines = text.split("\n").slice(0, -1);
    expect(lines).toHaveLength(NASTY.length);
    NASTY.forEach((s, i) => {
      expect(lines[i]).toContain(`"actorType":${JSON.stringify(s)},`);
      expect((JSON.parse(lines[i]!) as Record<string, unknown>).actorLabel).toBe(s);
    });
  });

  it("refuses a stream that is not binary COPY, is cut short, has rows of another shape or data after its end", async () => {
    const good = binaryCopy([row(0, random(1))]);
    await expect(convert(Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\x01", "latin1"), good.subarray(11)]), (n) => n)).rejects.toThrow(/no binary COPY signature/);
    await expect(convert(good.subarray(0, good.length - 2), () => 5)).rejects.toThrow(/ended inside the data/);
    await expect(convert(good.subarray(0, good.length - 40), (n) => n)).rejects.toThrow(/ended inside the data/);
    const short = Buffer.concat([HEADER, int(3, 2), int(-1, 4), int(-1, 4), int(-1, 4), int(-1, 2)]);
    await expect(convert(short, (n) => n)).rejects.toThrow(/a row of 3 fields/);
    await expect(convert(Buffer.concat([good, int(1, 2)]), (n) => n)).rejects.toThrow(/data after its end/);
    const noTenant = binaryCopy([row(0, random(1)).map((v, i) => (i === 0 ? null : v))]);
    await expect(convert(noTenant, (n) => n)).rejects.toThrow(/tenantId is NULL/);
  });
});
