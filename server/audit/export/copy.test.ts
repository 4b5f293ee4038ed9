// The COPY path's CRLF transform (copy.ts csvCrlf): record ends (LF outside quotes) become CRLF,
// LFs inside quoted fields stay, records are counted — whatever the chunk boundaries, which cut
// through quoted fields, doubled quotes and records.
import { describe, expect, it } from "vitest";
import { csvCrlf } from "./copy";

/** The definition, byte by byte. */
function reference(input: string): { text: string; records: number } {
  let quoted = false;
  let records = 0;
  let text = "";
  for (const ch of input) {
    if (ch === '"') quoted = !quoted;
    if (ch === "\n" && !quoted) {
      text += "\r\n";
      records++;
    } else text += ch;
  }
  return { text, records };
}

async function transform(chunks: Buffer[]): Promise<{ text: string; records: number }> {
  let records = 0;
  const t = csvCrlf((n) => (records += n));
  const out: Buffer[] = [];
  t.on("data", (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => t.on("end", resolve));
  for (const c of chunks) t.write(c);
  t.end();
  await ended;
  return { text: Buffer.concat(out).toString("utf8"), records };
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("csvCrlf", () => {
  it("turns record ends into CRLF and keeps line breaks inside quoted fields", async () => {
    const csv = 'a,b\nplain,"two\nlines"\n"say ""hi""\n=cmd|x",\'=1\n"",\n';
    const r = await transform([Buffer.from(csv)]);
    expect(r.text).toBe('a,b\r\nplain,"two\nlines"\r\n"say ""hi""\n=cmd|x",\'=1\r\n"",\r\n');
    expect(r.records).toBe(4);
  });

  it("matches the byte-by-byte definition for any chunking", async () => {
    const rand = random(7);
    const alphabet = ['"', "\n", "\r", ",", "a", "é", "{", '""', "\n\n"];
    for (let round = 0; round < 200; round++) {
      // Well-formed quoting is not required: the rule is defined on any byte sequence.
      const input = Array.from({ length: 1 + Math.floor(rand() * 80) }, () => alphabet[Math.floor(rand() * alphabet.length)]!).join("");
      const bytes = Buffer.from(input);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + Math.floor(rand() * 9);
        chunks.push(bytes.subarray(i, i + n));
        i += n;
      }
      expect(await transform(chunks), JSON.stringify(input)).toEqual(reference(input));
    }
  });
});
