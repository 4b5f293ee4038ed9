// Next's start-up hook (runs once per server process, before the first request). OpenTelemetry is
// started only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK is imported dynamically inside
// startTracing, so without it nothing of OpenTelemetry is loaded (server/observability/tracing.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  const { startTracing } = await import("./server/observability/tracing");
  await startTracing();
}
