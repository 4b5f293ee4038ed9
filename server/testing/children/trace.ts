// Child process of server/observability/tracing.test.ts: one tRPC procedure call and one job run,
// observed exactly as in the app (server/observability/request.ts), with tracing started from the
// environment like instrumentation.ts does; prints what it saw as one JSON line.
import { noteLogTenant } from "../../observability/logger";
import { observeJobRun, observeProcedure } from "../../observability/request";
import { shutdownTracing, startTracing, tracingEnabled } from "../../observability/tracing";

const tenantId = process.argv[2]!;
const started = await startTracing(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined);
await observeProcedure({ requestId: "req-trace-1", actor: "user:u1", path: "keys.list", type: "query" }, async () => {
  noteLogTenant(tenantId); // what the tenant door does when the procedure enters its tenant
  return { ok: true };
});
await observeJobRun({ task: "audit.export", jobId: "7", tenantId, attempt: 1 }, async () => undefined);
const enabled = tracingEnabled();
await shutdownTracing();
process.stdout.write(`RESULT ${JSON.stringify({ started, enabled })}\n`);
process.exit(0);
