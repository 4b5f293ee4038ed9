// OpenTelemetry (server/observability/tracing.ts), in child processes so the SDK never starts in
// the test runner: without OTEL_EXPORTER_OTLP_ENDPOINT not one @opentelemetry module is even
// resolved; with it, a procedure's span and a job's span reach a local OTLP/HTTP receiver carrying
// the tenant id as credo.tenant_id.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = path.resolve(import.meta.dirname, "../testing/children");
const TENANT = "6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b";

function runChild(env: Record<string, string>): Promise<{ started: boolean; enabled: boolean; loaded: string[] }> {
  const loadLog = path.join(mkdtempSync(path.join(tmpdir(), "credo-otel-")), "loads.txt");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, CREDO_LOAD_LOG: loadLog, NODE_ENV: "production", LOG_LEVEL: "warn" };
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) delete childEnv.OTEL_EXPORTER_OTLP_ENDPOINT;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", "--import", path.join(dir, "record-loads.mjs"), path.join(dir, "trace.ts"), TENANT], { cwd: process.cwd(), env: childEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
      if (err || !line) return reject(new Error(`child failed: ${err?.message ?? ""}\n${stdout}\n${stderr}`));
      const loaded = existsSync(loadLog) ? readFileSync(loadLog, "utf8").split("\n").filter(Boolean) : [];
      resolve({ ...(JSON.parse(line.slice("RESULT ".length)) as { started: boolean; enabled: boolean }), loaded });
    });
  });
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  name: string;
  attributes: OtlpAttribute[];
}

let receiver: Server;
const bodies: string[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      if (req.url === "/v1/traces") bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe("tracing", () => {
  it("off without OTEL_EXPORTER_OTLP_ENDPOINT: nothing of OpenTelemetry is loaded", async () => {
    const r = await runChild({});
    expect(r).toEqual({ started: false, enabled: false, loaded: [] });
  });

  it("on with the endpoint: the procedure's and the job's spans carry the tenant id", async () => {
    const port = (receiver.address() as AddressInfo).port;
    const r = await runChild({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(r.started).toBe(true);
    expect(r.enabled).toBe(true);
    expect(r.loaded.some((u) => u.includes("/@opentelemetry/sdk-node/"))).toBe(true); // the detector works

    const spans: OtlpSpan[] = bodies.flatMap((b) => {
      const doc = JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      return doc.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    });
    const attr = (s: OtlpSpan | undefined, k: string) => s?.attributes.find((a) => a.key === k)?.value.stringValue;
    const procedure = spans.find((s) => s.name === "trpc keys.list");
    const job = spans.find((s) => s.name === "job audit.export");
    expect(attr(procedure, "credo.tenant_id")).toBe(TENANT);
    expect(attr(procedure, "credo.request_id")).toBe("req-trace-1");
    expect(attr(job, "credo.tenant_id")).toBe(TENANT);
  });
});
