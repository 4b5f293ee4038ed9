// Module resolve hook for server/observability/tracing.test.ts: appends every resolved
// @opentelemetry module URL to the file named by CREDO_LOAD_LOG (hooks run on their own thread).
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.CREDO_LOAD_LOG && result.url.includes("/@opentelemetry/")) appendFileSync(process.env.CREDO_LOAD_LOG, `${result.url}\n`);
  return result;
}
