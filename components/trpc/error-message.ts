// Reading tRPC client errors for display: the server phrases messages for people.
import { TRPCClientError } from "@trpc/client";

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError || error instanceof Error) return error.message || "Something went wrong.";
  return "Something went wrong.";
}

/** Input fields named by validation issues (e.g. "slug", "days"). */
export function invalidFields(error: unknown): Set<string> {
  const issues = (error as { data?: { issues?: unknown } } | null)?.data?.issues;
  const out = new Set<string>();
  if (Array.isArray(issues)) {
    for (const i of issues) {
      const path = (i as { path?: unknown })?.path;
      if (typeof path === "string" && path) out.add(path.split(".")[0]!);
    }
  }
  // A service error names its field in data.field (server/isomorphic/errors.ts AppError options).
  const field = (error as { data?: { field?: unknown } } | null)?.data?.field;
  if (typeof field === "string" && field) out.add(field);
  return out;
}
