// OpenTelemetry tracing, OFF unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
//
// Off, it costs nothing: this module imports no OpenTelemetry package statically, `withSpan` just
// runs its function, and `startTracing` returns at once. On, `startTracing` (instrumentation.ts for
// the web process, server/cli/worker.ts for workers) imports @opentelemetry/sdk-node and the OTLP
// HTTP exporter dynamically and starts the SDK; tRPC procedures (server/api/trpc.ts) and jobs
// (server/jobs/queue.ts) then each get a span carrying the tenant id as `credo.tenant_id` (plus
// the request id or job id). Spans go to <endpoint>/v1/traces (OTLP/HTTP, JSON), batched.
// OTEL_SERVICE_NAME names the service (default credo-console).
import { env } from "../env";

type OtelApi = typeof import("@opentelemetry/api");

interface Tracing {
  api: OtelApi;
  shutdown(): Promise<void>;
}

/** The attribute every console span carries when it belongs to a tenant. */
export const TENANT_ATTRIBUTE = "credo.tenant_id";

const g = globalThis as unknown as { credoTracing?: Tracing | null; credoTracingStart?: Promise<boolean> };

export function tracingEnabled(): boolean {
  return Boolean(g.credoTracing);
}

/** Starts the SDK once per process when OTEL_EXPORTER_OTLP_ENDPOINT is set; false when off. */
export function startTracing(endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT): Promise<boolean> {
  if (!endpoint) return Promise.resolve(false);
  g.credoTracingStart ??= (async () => {
    const [api, { NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/sdk-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
    ]);
    const sdk = new NodeSDK({
      serviceName: process.env.OTEL_SERVICE_NAME || "credo-console",
      traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` }),
      // Spans are made by the console's own code (procedures, jobs); no monkey-patching of libraries.
      instrumentations: [],
      metricReaders: [],
      logRecordProcessors: [],
    });
    sdk.start();
    g.credoTracing = { api, shutdown: () => sdk.shutdown() };
    return true;
  })();
  return g.credoTracingStart;
}

/** Flushes and stops the SDK (process shutdown, tests). */
export async function shutdownTracing(): Promise<void> {
  const t = g.credoTracing;
  g.credoTracing = null;
  g.credoTracingStart = undefined;
  await t?.shutdown();
}

export interface SpanHandle {
  setAttribute(key: string, value: string | number | boolean): void;
  /** Marks the span failed without an exception (e.g. a tRPC result with an error code). */
  setError(reason: string): void;
}

const NO_SPAN: SpanHandle = { setAttribute() {}, setError() {} };

/** Runs fn in an active span when tracing is on (errors recorded), else just runs it. */
export async function withSpan<T>(name: string, attributes: Record<string, string | number | boolean | undefined>, fn: (span: SpanHandle) => Promise<T>): Promise<T> {
  const t = g.credoTracing;
  if (!t) return fn(NO_SPAN);
  const { api } = t;
  const attrs: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) attrs[k] = v;
  return api.trace.getTracer("credo-console").startActiveSpan(name, { attributes: attrs }, async (span) => {
    const handle: SpanHandle = {
      setAttribute: (k, v) => void span.setAttribute(k, v),
      setError: (reason) => void span.setStatus({ code: api.SpanStatusCode.ERROR, message: reason }),
    };
    try {
      return await fn(handle);
    } catch (e) {
      span.recordException(e instanceof Error ? { name: e.name, message: e.message } : String(e));
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: e instanceof Error ? e.name : "error" });
      throw e;
    } finally {
      span.end();
    }
  });
}
