// copy-rows.ts: the rows of a COPY TO decoded from the protocol's messages (one CopyData per row) —
// line ends as asked, row ends where the messages end, the bytes after the copy handed back —
// wherever the chunks are cut; and the same through a real `COPY … TO STDOUT` in the copy door,
// with line breaks and quotes inside quoted fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Readable } from "node:stream";
import { CopyDataDecoder, type DecodedChunk } from "./copy-rows";
import { closeCopyDoor, inTenantCopy } from "./copy-door";
import { makeTenant } from "../testing/fixtures";
import type { TenantId } from "../tenancy/tenant-id";

function message(code: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeUInt32BE(b.length + 4, 1);
  return Buffer.concat([head, b]);
}

function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Decodes `wire` cut at `cuts`; the rows' bytes, their end offsets (in the whole output) and the end. */
function decodeAll(wire: Buffer, crlf: boolean, cuts: number[]) {
  const decoder = new CopyDataDecoder(crlf);
  const out: Buffer[] = [];
  const ends: number[] = [];
  let size = 0;
  let end: DecodedChunk["end"] = null;
  const bounds = [0, ...cuts, wire.length];
  for (let k = 0; k + 1 < bounds.length && !end; k++) {
    // The decoder writes into the chunks it is given: each run gets its own copies.
    const chunk = Buffer.from(wire.subarray(bounds[k], bounds[k + 1]));
    const r = decoder.decode(chunk);
    for (const e of r.ends) ends.push(size + e);
    out.push(r.out);
    size += r.out.length;
    if (r.end) end = { kind: r.end.kind, rest: Buffer.concat([r.end.rest, wire.subarray(bounds[k + 1])]) };
  }
  return { text: Buffer.concat(out).toString("utf8"), ends, end };
}

/** Random cuts (many 1–6 bytes apart), then every way to cut the wire in three. */
function* chunkings(length: number, rand: () => number): Generator<number[]> {
  for (let round = 0; round < 200; round++) {
    const cuts: number[] = [];
    for (let at = 1 + Math.floor(rand() * 6); at < length; at += 1 + Math.floor(rand() * (rand() > 0.5 ? 6 : 300))) cuts.push(at);
    yield cuts;
  }
  for (let i = 1; i < length; i++) for (let j = i + 1; j < length; j++) yield [i, j];
}

const ROWS = ["tenant_id,seq\n", 'a,"two\nlines"\n', '"say ""hi""\n=cmd",\n', "é,ü\n", '"",\n', "\n"];
const AFTER = Buffer.concat([message("C", "COPY 5\0"), message("Z", "T")]);

describe("CopyDataDecoder", () => {
  it("ends rows at message ends (line breaks inside a row stay), CRLF when asked, and hands back what follows the copy", () => {
    const rand = random(3);
    const wire = Buffer.concat([
      message("H", Buffer.from([0, 0, 2, 0, 0, 0, 0])),
      ...ROWS.flatMap((r, i) => (i === 2 ? [message("N", "SNOTICE\0\0"), message("d", r)] : [message("d", r)])),
      message("c"),
      AFTER,
    ]);
    let round = 0;
    for (const cuts of chunkings(wire.length, rand)) {
      const crlf = round++ % 2 === 0;
      const r = decodeAll(wire, crlf, cuts);
      const rows = ROWS.map((x) => (crlf ? `${x.slice(0, -1)}\r\n` : x));
      expect(r.text).toBe(rows.join(""));
      let at = 0;
      expect(r.ends).toEqual(rows.map((x) => (at += Buffer.byteLength(x))));
      expect(r.end?.kind).toBe("done");
      expect(r.end?.rest.equals(AFTER)).toBe(true);
    }
  });

  it("stops at an ErrorResponse and leaves it, and all after it, to pg", () => {
    const rand = random(9);
    const error = Buffer.concat([message("E", "SERROR\0Mboom\0\0"), message("Z", "I")]);
    const wire = Buffer.concat([message("d", ROWS[0]!), message("d", ROWS[1]!), error]);
    for (const cuts of chunkings(wire.length, rand)) {
      const r = decodeAll(wire, true, cuts);
      expect(r.text).toBe("tenant_id,seq\r\na,\"two\nlines\"\r\n");
      expect(r.end?.kind).toBe("error");
      expect(r.end?.rest.equals(error)).toBe(true);
    }
  });

  it("refuses a row that does not end with a line feed when it must write CRLF", () => {
    expect(() => new CopyDataDecoder(true).decode(message("d", "no line end"))).toThrow(/did not end with a line feed/);
    expect(() => new CopyDataDecoder(false).decode(message("d", ""))).toThrow(/malformed/);
  });
});

describe("copyOut through the copy door (real PostgreSQL)", () => {
  let tenant: { id: TenantId };
  beforeAll(async () => {
    tenant = await makeTenant();
  });
  afterAll(async () => {
    await closeCopyDoor();
  });

  async function copied(sql: string, crlf: boolean) {
    const seen: { chunks: Buffer[]; ends: number[] } = { chunks: [], ends: [] };
    let size = 0;
    let streamed = "";
    await inTenantCopy(tenant.id, {}, (tx) =>
      tx.copyOut(
        sql,
        {
          crlf,
          onChunk: (chunk, ends) => {
            for (const e of ends) seen.ends.push(size + e);
            size += chunk.length;
          },
        },
        async (stream: Readable) => {
          for await (const c of stream) streamed += (c as Buffer).toString("utf8");
        },
      ),
    );
    return { streamed, ends: seen.ends };
  }

  it("CSV rows end in CRLF, line breaks and quotes inside fields stay as they are, and the transaction goes on", async () => {
    const sql = `COPY (SELECT * FROM (VALUES (1, 'plain'), (2, E'two\\nlines'), (3, 'say "hi"'), (4, NULL), (5, '')) v(n, s) ORDER BY n) TO STDOUT WITH (FORMAT csv, HEADER true)`;
    const r = await copied(sql, true);
    const rows = ["n,s\r\n", "1,plain\r\n", '2,"two\nlines"\r\n', '3,"say ""hi"""\r\n', "4,\r\n", '5,""\r\n'];
    expect(r.streamed).toBe(rows.join(""));
    let at = 0;
    expect(r.ends).toEqual(rows.map((x) => (at += Buffer.byteLength(x))));
    // The connection is handed back to pg in step: a query after the copy, in the same transaction.
    const after = await inTenantCopy(tenant.id, {}, async (tx) => {
      await tx.copyOut(sql, { crlf: false }, async (s: Readable) => {
        for await (const _ of s) void _;
      });
      return tx.query<{ t: string }>("SELECT current_setting('app.tenant_id') AS t");
    });
    expect(after).toEqual([{ t: tenant.id }]);
  });

  it("a COPY that fails on the server fails the stream with the server's error", async () => {
    await expect(copied(`COPY (SELECT 1 / (n - 3) FROM generate_series(1, 5) n) TO STDOUT WITH (FORMAT csv)`, true)).rejects.toThrow(/division by zero/);
  });

  it("10,000 rows in many socket chunks: every row once, in order", async () => {
    const r = await copied(`COPY (SELECT n, repeat('x', n % 50) FROM generate_series(1, 10000) n ORDER BY n) TO STDOUT WITH (FORMAT csv)`, true);
    const lines = r.streamed.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(10_000);
    expect(lines[9999]).toBe(`10000,""`);
    expect(lines[48]).toBe(`49,${"x".repeat(49)}`);
    expect(r.ends).toHaveLength(10_000);
  });
});
