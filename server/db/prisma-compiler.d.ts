// The query compiler module the generated client loads (server/db/generated/internal/class.ts);
// server/db/plan-cache.ts wraps its QueryCompiler's compile. Only what that module uses is typed.
declare module "@prisma/client/runtime/query_compiler_bg.postgresql.mjs" {
  export const QueryCompiler: unknown;
}
