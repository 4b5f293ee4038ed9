// Audit exports on the real PostgreSQL server: tenant isolation of contents and download links,
// both formats (CSV formula injection defused, JSONL one object per line), the signed manifest and
// offline verification, restart after a crash, expiry, support grant expiry, and the job on the queue.
import { createReadStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip, gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import type { JSONWebKeySet } from "jose";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { inTenantCopy } from "../../db/copy-door";
import { inTenant } from "../../db/doors";
import { callerFor, grant, sessionFor, makeUser, rejection, twoTenantWorld } from "../../testing/fixtures";
import { platformPublicJwks } from "../../platform-keys";
import { runWorker } from "../../jobs/queue";
import { appendChained } from "../../testing/audit";
import { auditExportTask } from "../tasks";
import { GET as exportRoute } from "@/app/api/t/[tenant]/exports/[exportId]/route";
import { exportFilePath, partialFilePath } from "./files";
import { copyParams, copySql } from "./copy";
import { CSV_HEADER } from "./format";
import { verifyExport } from "./manifest";
import { runAuditExport } from "./pipeline";
import { expireAuditExports } from "./service";

let w: Awaited<ReturnType<typeof twoTenantWorld>>;
let pool: pg.Pool;
let jwks: JSONWebKeySet;
let scratch: string;

/** A whole second an hour ago: three events at it (beforeAll). */
let second = 0;
const NASTY = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'already", "plain, with comma", 'with "quotes"', "multi\nline", "ünïcødé ✓", "", "  =1+1", " \t+SUM(1)", "\n=cmd|' /C calc'!A0", "ci-deploy\n=cmd|' /C calc'!A0", "back\\slash \u0001ctl \u2028"];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 2 });
  w = await twoTenantWorld();
  jwks = (await platformPublicJwks()) as JSONWebKeySet;
  scratch = await mkdtemp(path.join(tmpdir(), "credo-export-test-"));
  // The first three at a whole second, .050 and .500 (an hour ago, inside the time-filtered
  // exports' day): the COPY path pads the fraction of the timestamp's text as toISOString does.
  second = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const at = (i: number) => (i < 3 ? { at: new Date(second + [0, 50, 500][i]!) } : {});
  await appendChained(w.a.id, NASTY.map((v, i) => ({ ...at(i), action: `widget.${i % 2 ? "created" : "deleted"}`, targetId: v, actorLabel: v || null, after: { label: v, n: i } })));
  await appendChained(w.b.id, Array.from({ length: 7 }, (_, i) => ({ action: "secret.b_only", targetId: `b-${i}` })));
});
afterAll(async () => {
  await pool.end();
  await rm(scratch, { recursive: true, force: true });
});

const session = (userId: string) => () => sessionFor(userId);
/** The download route handler as Next calls it, with the session from `getSession`. */
const handleExportDownload = (req: Request, slug: string, exportId: string, getSession: () => Promise<{ user: { id: string }; sid: string } | null>) =>
  exportRoute.withSession(getSession)(req, { params: Promise.resolve({ tenant: slug, exportId }) });
const download = (userId: string, slug: string, id: string, part = "") =>
  handleExportDownload(new Request(`http://test/api/t/${slug}/exports/${id}${part ? `?part=${part}` : ""}`), slug, id, session(userId));

/** Requests an export through tRPC and runs its job body directly. */
async function exportFor(userId: string, tenant: { id: string; slug: string }, input: Record<string, unknown>) {
  const requested = await callerFor(userId).audit.requestExport({ tenant: tenant.slug, format: "csv", ...input } as never);
  const result = await runAuditExport(tenant.id as never, requested.id);
  expect(result.outcome).toBe("done");
  return { id: requested.id, ...result };
}

async function jsonlLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const l of createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })) lines.push(l);
  return lines;
}

async function manifestOf(userId: string, slug: string, id: string): Promise<string> {
  const res = await download(userId, slug, id, "manifest");
  expect(res.status).toBe(200);
  return res.text();
}

describe("audit export", () => {
  it("A's export holds A's events only — every one of them, in chain order — and verifies", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "jsonl" });
    const lines = await jsonlLines(exportFilePath(w.a.id, e.id, "jsonl"));
    const events = lines.filter(Boolean).map((l) => JSON.parse(l) as { tenantId: string; seq: string; action: string });
    expect(events.length).toBe(e.rows);
    expect(events.every((ev) => ev.tenantId === w.a.id)).toBe(true);
    expect(events.some((ev) => ev.action === "secret.b_only")).toBe(false);
    const seqs = events.map((ev) => Number(ev.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const verified = await verifyExport(exportFilePath(w.a.id, e.id, "jsonl"), await manifestOf(w.ownerA.id, w.a.slug, e.id), jwks);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it("JSONL: exactly one JSON object per line, newlines inside values escaped", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "jsonl", actionPrefix: "widget." });
    const raw = gunzipSync(await readFile(exportFilePath(w.a.id, e.id, "jsonl"))).toString("utf8");
    expect(raw.endsWith("\n")).toBe(true);
    const lines = raw.slice(0, -1).split("\n");
    expect(lines).toHaveLength(NASTY.length);
    for (const l of lines) {
      const obj = JSON.parse(l) as unknown;
      expect(typeof obj === "object" && obj !== null && !Array.isArray(obj)).toBe(true);
    }
    expect(lines.map((l) => (JSON.parse(l) as { targetId: string }).targetId)).toEqual(NASTY);
  });

  it("CSV: RFC 4180 with a header, formula cells defused with an apostrophe, and the round trip verifies", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "csv", actionPrefix: "widget." });
    const text = gunzipSync(await readFile(exportFilePath(w.a.id, e.id, "csv"))).toString("utf8");
    expect(text.startsWith(`${CSV_HEADER.join(",")}\r\n`)).toBe(true);
    const records = parse(text, { relax_column_count: false }) as string[][];
    const header = records[0]!;
    const targetIdx = header.indexOf("target_id");
    const targets = records.slice(1).map((r) => r[targetIdx]);
    expect(targets).toEqual([
      "'=cmd|' /C calc'!A0",
      "'+SUM(1,2)",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTAB",
      "'\rCR",
      "''already",
      "plain, with comma",
      'with "quotes"',
      "multi\nline",
      "ünïcødé ✓",
      "",
      "'  =1+1",
      "' \t+SUM(1)",
      "'\n=cmd|' /C calc'!A0",
      "ci-deploy\n=cmd|' /C calc'!A0",
      "back\\slash \u0001ctl \u2028",
    ]);
    // Fields holding CR or LF are quoted (RFC 4180), so no record ends inside a value.
    expect(text).toContain(`"ci-deploy\n=cmd|' /C calc'!A0"`);
    // No cell anywhere starts with a formula character.
    for (const r of records.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^(?:[\t\r\n]|\s*[=+\-@])/);
    // An empty string is quoted (""), a NULL is an empty unquoted field: the chain hash needs the difference.
    expect(text).toContain(',"",');
    const verified = await verifyExport(exportFilePath(w.a.id, e.id, "csv"), await manifestOf(w.ownerA.id, w.a.slug, e.id), jwks);
    expect(verified.problems).toEqual([]);
    expect(verified.rows).toBe(NASTY.length);
  });

  it("the COPY path (real server) writes what the paged path writes: same rows, same manifest totals and chain, both verify", async () => {
    // Unfiltered and time-filtered exports stream through COPY; the NASTY values (formulas, CR/LF,
    // quotes, empty vs NULL) go through both paths. Each run adds audit events (requested,
    // completed), so both paths export up to a cut taken now.
    const to = new Date(Date.now() - 1).toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const from = new Date(Date.now() - 86_400_000).toISOString();
    for (const [format, filters] of [["csv", { to }], ["jsonl", { to }], ["csv", { from, to }], ["jsonl", { from, to }]] as const) {
      const runs: { id: string; rows: number; content: string }[] = [];
      for (const via of ["copy", "pages"] as const) {
        const requested = await callerFor(w.ownerA.id).audit.requestExport({ tenant: w.a.slug, format, ...filters } as never);
        const r = await runAuditExport(w.a.id, requested.id, { via, pageSize: 5 });
        expect(r.outcome).toBe("done");
        const verified = await verifyExport(exportFilePath(w.a.id, requested.id, format), await manifestOf(w.ownerA.id, w.a.slug, requested.id), jwks);
        expect(verified.problems).toEqual([]);
        expect(verified.ok).toBe(true);
        const content = gunzipSync(await readFile(exportFilePath(w.a.id, requested.id, format))).toString("utf8");
        runs.push({ id: requested.id, rows: r.rows, content });
      }
      const [copy, paged] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(copy.rows).toBe(paged.rows);
      expect(copy.rows).toBeGreaterThanOrEqual(NASTY.length);
      const m = await pool.query(`SELECT id, manifest FROM audit_exports WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [w.a.id, [copy.id, paged.id]]);
      const totals = (id: string) => {
        const man = m.rows.find((x) => x.id === id)!.manifest as Record<string, unknown>;
        // The chain head is the tenant's head at each claim (the first run's own events moved it).
        const chain = man.chain as Record<string, unknown>;
        return { count: man.count, unchainedCount: man.unchainedCount, firstSeq: man.firstSeq, lastSeq: man.lastSeq, base: [chain.baseSeq, chain.baseHash], segment: man.segment };
      };
      expect(totals(copy.id)).toEqual(totals(paged.id));
      // The people-facing estimate: counted at the claim on the paged path, the COPY's own tally on the COPY path.
      const estimates = await pool.query(`SELECT id, rows_estimated::int AS n FROM audit_exports WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [w.a.id, [copy.id, paged.id]]);
      for (const run of [copy, paged]) expect(estimates.rows.find((x) => x.id === run.id)!.n).toBe(run.rows);
      if (format === "csv") {
        // Byte for byte the same records except JSON spacing in before/after (parsed: equal).
        expect(copy.content.startsWith(`${CSV_HEADER.join(",")}\r\n`)).toBe(true);
        expect(copy.content.endsWith("\r\n")).toBe(true);
        expect(copy.content).toContain(`"ci-deploy\n=cmd|' /C calc'!A0"`);
        const rows = (text: string) =>
          (parse(text) as string[][]).map((r, i) =>
            i === 0 ? r : r.map((cell, c) => (CSV_HEADER[c] === "before" || CSV_HEADER[c] === "after") && cell !== "" ? JSON.parse(cell.replace(/^'/, "")) : cell),
          );
        expect(rows(copy.content)).toEqual(rows(paged.content));
        for (const r of (parse(copy.content) as string[][]).slice(1)) for (const cell of r) expect(cell).not.toMatch(/^(?:[\t\r\n]|\s*[=+\-@])/);
        // Records end only at CRLF: the line count outside quoted fields is the row count + header.
        expect(copy.content.replace(/"(?:[^"]|"")*"/g, "").split("\r\n").length - 1).toBe(copy.rows + 1);
        expect(copy.content).toContain(',"",');
        for (const ms of [0, 50, 500]) expect(copy.content).toContain(`,${new Date(second + ms).toISOString()},`);
      } else {
        const lines = (text: string) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown);
        expect(copy.content.split("\n").filter(Boolean)).toHaveLength(copy.rows);
        // Spaced as JSON.stringify spaces it (outside before/after), control characters escaped.
        expect(copy.content.startsWith(`{"tenantId":"${w.a.id}","seq":`)).toBe(true);
        expect(copy.content).toContain(String.raw`back\\slash \u0001ctl`);
        expect(lines(copy.content)).toEqual(lines(paged.content));
        // Byte for byte the paged path's lines (JSON.stringify's escaping), but for the database's
        // spacing inside before/after.
        const respaced = (text: string) =>
          text.split("\n").filter(Boolean).map((l) => {
            const o = JSON.parse(l) as { before: unknown; after: unknown };
            return `${l.slice(0, l.indexOf(',"before":'))},"before":${JSON.stringify(o.before)},"after":${JSON.stringify(o.after)}${l.slice(l.lastIndexOf(',"ip":'))}`;
          });
        expect(respaced(copy.content)).toEqual(paged.content.split("\n").filter(Boolean));
      }
    }
  });

  it("the COPY path streams in index order: no sort of the formatted rows, whatever size the planner guesses", async () => {
    // The planner sees the tenant as `(SELECT current_setting(…))`, an average tenant: for a big one
    // it chose a bitmap scan and sorted every formatted row on disk.
    const filters = { from: null, to: null, actor: null, actionPrefix: null, targetType: null, targetId: null, outcome: null, text: null };
    for (const format of ["csv", "jsonl"] as const) {
      const select = /^COPY \((.*)\) TO STDOUT/s.exec(copySql(format, filters))![1]!;
      const plan = await inTenantCopy(w.a.id, copyParams(2n ** 62n, filters), async (tx) => {
        // Index access priced as a big tenant's would be, where a scan and a sort look cheaper.
        await tx.query("SET LOCAL random_page_cost = 1000");
        return tx.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${select}`);
      });
      const text = JSON.stringify(plan[0]!["QUERY PLAN"]);
      expect(text).not.toContain('"Node Type":"Sort"');
      expect(text).toContain('"Index Name":"audit_events_pkey"');
    }
  });

  it("the signature verifies, and fails on one changed byte of the file or of the manifest", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "csv" });
    const file = exportFilePath(w.a.id, e.id, "csv");
    const manifestJson = await manifestOf(w.ownerA.id, w.a.slug, e.id);
    expect((await verifyExport(file, manifestJson, jwks)).ok).toBe(true);

    const copy = path.join(scratch, "changed.csv.gz");
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(copy, bytes);
    const changedFile = await verifyExport(copy, manifestJson, jwks);
    expect(changedFile.ok).toBe(false);
    expect(changedFile.problems.join(" ")).toMatch(/SHA-256/);

    const m = JSON.parse(manifestJson) as Record<string, unknown>;
    const forged = JSON.stringify({ ...m, count: String(Number(m.count) + 1) });
    const changedManifest = await verifyExport(file, forged, jwks);
    expect(changedManifest.ok).toBe(false);
    expect(changedManifest.problems.join(" ")).toMatch(/signature does not verify/);

    // Another key's JWKS (a third party's keys) does not verify it either.
    const other = { keys: [{ ...(jwks.keys[0] as object), x: Buffer.alloc(32, 1).toString("base64url") }] } as JSONWebKeySet;
    expect((await verifyExport(file, manifestJson, other)).ok).toBe(false);
  });

  it("B's export id and download link are 404 for A (in A's path and in B's), and B's exports never list for A", async () => {
    const eb = await exportFor(w.ownerB.id, w.b, { format: "jsonl" });
    expect((await download(w.ownerB.id, w.b.slug, eb.id)).status).toBe(200);
    for (const [slug, id] of [[w.b.slug, eb.id], [w.a.slug, eb.id]] as const) {
      for (const part of ["", "manifest"]) {
        const res = await download(w.ownerA.id, slug, id, part);
        expect({ slug, part, status: res.status }).toEqual({ slug, part, status: 404 });
      }
    }
    expect((await download(w.ownerA.id, w.a.slug, "not-a-uuid")).status).toBe(404);
    const listed = await callerFor(w.ownerA.id).audit.exports({ tenant: w.a.slug });
    expect(listed.some((x) => x.id === eb.id)).toBe(false);
    expect(await rejection(callerFor(w.ownerA.id).audit.exports({ tenant: w.b.slug }))).toMatchObject({ code: "NOT_FOUND" });
    // No session: 401; a security admin may download any tenant's export (their role covers it).
    expect((await handleExportDownload(new Request("http://t/x"), w.b.slug, eb.id, async () => null)).status).toBe(401);
    expect((await download(w.admin.id, w.b.slug, eb.id)).status).toBe(200);
    // A tenant header is refused outright.
    const withHeader = new Request(`http://t/x`, { headers: { "x-tenant-id": w.b.id } });
    expect((await handleExportDownload(withHeader, w.b.slug, eb.id, session(w.ownerB.id))).status).toBe(400);
  });

  it("an API key downloads its own tenant's exports with audit.export only; other keys and tenants get 401/403/404", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "jsonl", actionPrefix: "widget." });
    const eb = await exportFor(w.ownerB.id, w.b, { format: "jsonl" });
    const owner = callerFor(w.ownerA.id);
    const withScope = (await owner.apiKeys.create({ tenant: w.a.slug, name: "exports", scopes: ["audit.export"], expiresInDays: 1 })).value;
    const without = (await owner.apiKeys.create({ tenant: w.a.slug, name: "reader", scopes: ["audit.read"], expiresInDays: 1 })).value;
    const get = (key: string, slug: string, id: string) =>
      handleExportDownload(new Request(`http://t/api/t/${slug}/exports/${id}`, { headers: { authorization: `Bearer ${key}` } }), slug, id, async () => null);
    expect((await get(withScope, w.a.slug, e.id)).status).toBe(200);
    expect((await get(without, w.a.slug, e.id)).status).toBe(403);
    expect((await get(withScope, w.b.slug, eb.id)).status).toBe(404);
    expect((await get(withScope, w.a.slug, eb.id)).status).toBe(404);
    expect((await get(`${withScope}x`, w.a.slug, e.id)).status).toBe(401);
  });

  it("an API key named to inject a formula after a line break comes out as one quoted, inert CSV cell", async () => {
    const name = "ci-deploy\n=cmd|' /C calc'!A0";
    const e = await exportFor(w.ownerA.id, w.a, { format: "jsonl", actionPrefix: "widget." });
    const key = (await callerFor(w.ownerA.id).apiKeys.create({ tenant: w.a.slug, name, scopes: ["audit.export"], expiresInDays: 1 })).value;
    const res = await handleExportDownload(new Request(`http://t/api/t/${w.a.slug}/exports/${e.id}`, { headers: { authorization: `Bearer ${key}` } }), w.a.slug, e.id, async () => null);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const csv = await exportFor(w.ownerA.id, w.a, { format: "csv", actionPrefix: "audit.export_downloaded" });
    const text = gunzipSync(await readFile(exportFilePath(w.a.id, csv.id, "csv"))).toString("utf8");
    expect(text).toContain(`"${name}"`);
    const records = parse(text) as string[][];
    const labels = records.slice(1).map((r) => r[records[0]!.indexOf("actor_label")]);
    expect(labels).toContain(name);
    for (const r of records.slice(1)) expect(r).toHaveLength(CSV_HEADER.length);
  });

  it("the download streams the file with attachment headers and is audited", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "csv", actionPrefix: "widget." });
    const res = await download(w.ownerA.id, w.a.slug, e.id);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-.*\.csv\.gz"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(await readFile(exportFilePath(w.a.id, e.id, "csv")))).toBe(true);
    const audited = await pool.query(`SELECT action, target_id FROM audit_events WHERE tenant_id = $1 AND action LIKE 'audit.export%' AND target_id = $2 ORDER BY id`, [w.a.id, e.id]);
    expect(audited.rows.map((r) => r.action)).toEqual(["audit.exported", "audit.export_completed", "audit.export_downloaded"]);
  });

  it("support exports too (audit.export), and losing the grant cuts access to the list and the links", async () => {
    const support = await makeUser();
    await grant(w.a, support.id, "support", new Date(Date.now() + 3_600_000));
    const e = await exportFor(support.id, w.a, { format: "csv" });
    expect((await download(support.id, w.a.slug, e.id)).status).toBe(200);
    expect((await callerFor(support.id).audit.exports({ tenant: w.a.slug })).some((x) => x.id === e.id)).toBe(true);
    // Support cannot record checkpoints (audit.manage) — and cannot change anything else either.
    expect(await rejection(callerFor(support.id).audit.checkpoint({ tenant: w.a.slug }))).toMatchObject({ code: "FORBIDDEN" });

    await pool.query(`UPDATE memberships SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND user_id = $2`, [w.a.id, support.id]);
    expect((await download(support.id, w.a.slug, e.id)).status).toBe(404);
    expect((await download(support.id, w.a.slug, e.id, "manifest")).status).toBe(404);
    expect(await rejection(callerFor(support.id).audit.exports({ tenant: w.a.slug }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(callerFor(support.id).audit.requestExport({ tenant: w.a.slug, format: "csv" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("a crashed export restarts from scratch: the half-written file is replaced, the result verifies", async () => {
    const requested = await callerFor(w.ownerA.id).audit.requestExport({ tenant: w.a.slug, format: "jsonl" });
    // As if a worker had claimed it and died mid-write.
    await pool.query(`UPDATE audit_exports SET status = 'running', attempts = 1, rows_written = 3 WHERE tenant_id = $1 AND id = $2`, [w.a.id, requested.id]);
    await mkdir(path.dirname(partialFilePath(w.a.id, requested.id, "jsonl")), { recursive: true });
    await writeFile(partialFilePath(w.a.id, requested.id, "jsonl"), "garbage from the crashed attempt");
    // The download link does not serve anything before the export is done.
    expect((await download(w.ownerA.id, w.a.slug, requested.id)).status).toBe(404);
    const r = await runAuditExport(w.a.id, requested.id, { pageSize: 4 });
    expect(r.outcome).toBe("done");
    await expect(stat(partialFilePath(w.a.id, requested.id, "jsonl"))).rejects.toThrow();
    const row = await pool.query(`SELECT status, attempts, rows_written FROM audit_exports WHERE tenant_id = $1 AND id = $2`, [w.a.id, requested.id]);
    expect(row.rows[0]).toMatchObject({ status: "done", attempts: 2 });
    expect(Number(row.rows[0].rows_written)).toBe(r.rows);
    const verified = await verifyExport(exportFilePath(w.a.id, requested.id, "jsonl"), await manifestOf(w.ownerA.id, w.a.slug, requested.id), jwks);
    expect(verified.problems).toEqual([]);
    // Running the job again (a duplicate delivery) does nothing.
    expect((await runAuditExport(w.a.id, requested.id)).outcome).toBe("skipped");
  });

  it("expires: the link answers 410 and the file is deleted", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "csv", actionPrefix: "widget." });
    const file = exportFilePath(w.a.id, e.id, "csv");
    const later = new Date(Date.now() + 25 * 3_600_000);
    await pool.query(`UPDATE audit_exports SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND id = $2`, [w.a.id, e.id]);
    expect((await download(w.ownerA.id, w.a.slug, e.id)).status).toBe(410);
    expect(await inTenant(w.a.id, (s) => expireAuditExports(s, later))).toBeGreaterThanOrEqual(1);
    await expect(stat(file)).rejects.toThrow();
    const listed = await callerFor(w.ownerA.id).audit.exports({ tenant: w.a.slug });
    expect(listed.find((x) => x.id === e.id)).toMatchObject({ status: "expired", downloadable: false });
  });

  it("the export runs as a job on the queue (audit.export) and reports progress", async () => {
    await appendChained(w.a.id, Array.from({ length: 25 }, (_, i) => ({ action: "bulk.event", targetId: `bulk-${i}` })));
    const requested = await callerFor(w.ownerA.id).audit.requestExport({ tenant: w.a.slug, format: "jsonl", actionPrefix: "bulk." });
    expect(requested.status).toBe("queued");
    const worker = await runWorker({ concurrency: 1, pollIntervalMs: 100, tasks: [auditExportTask] });
    try {
      const end = Date.now() + 30_000;
      for (;;) {
        const list = await callerFor(w.ownerA.id).audit.exports({ tenant: w.a.slug });
        const mine = list.find((x) => x.id === requested.id)!;
        if (mine.status === "done") {
          expect(mine).toMatchObject({ rowsWritten: "25", rowsEstimated: "25", downloadable: true });
          expect(mine.sha256).toMatch(/^[0-9a-f]{64}$/);
          break;
        }
        if (Date.now() > end) throw new Error(`export still ${mine.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await worker.stop();
    }
  });

  it("the CLI verifies an export offline with a JWKS file", async () => {
    const e = await exportFor(w.ownerA.id, w.a, { format: "csv", actionPrefix: "widget." });
    const dir = await mkdtemp(path.join(scratch, "cli-"));
    const gz = path.join(dir, "export.csv.gz");
    await copyFile(exportFilePath(w.a.id, e.id, "csv"), gz);
    await writeFile(path.join(dir, "manifest.json"), await manifestOf(w.ownerA.id, w.a.slug, e.id));
    await writeFile(path.join(dir, "jwks.json"), JSON.stringify(jwks));
    const { spawnSync } = await import("node:child_process");
    const run = (manifest: string) =>
      spawnSync("node_modules/.bin/tsx", ["server/cli/export-verify.ts", gz, manifest, "--jwks", path.join(dir, "jwks.json")], { encoding: "utf8", env: { ...process.env } });
    const ok = run(path.join(dir, "manifest.json"));
    expect(ok.stdout).toContain("VALID");
    expect(ok.status).toBe(0);
    const m = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
    await writeFile(path.join(dir, "bad.json"), JSON.stringify({ ...m, firstSeq: "999" }));
    const bad = run(path.join(dir, "bad.json"));
    expect(bad.stdout).toContain("NOT VALID");
    expect(bad.status).toBe(1);
  });
});
