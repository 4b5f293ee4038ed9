// `node --import ./record-loads.mjs …`: registers otel-load-hook.mjs (tracing.test.ts).
import { register } from "node:module";

register("./otel-load-hook.mjs", import.meta.url);
