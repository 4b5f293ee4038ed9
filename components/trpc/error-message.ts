// Reading tRPC client errors for display: the server phrases messages for people.
import { TRPCClientError } from "@trpc/client";

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError || error instanceof Error) return error.message || "Something went wrong.";
  return "Something went wrong.";
}

export function errorCode(error: unknown): string | undefined {
  const data = (error as { data?: { code?: unknown } } | null)?.data;
  return typeof data?.code === "string" ? data.code : undefined;
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
  // Service errors name no field; a "field: message" prefix still does.
  const m = /^([a-zA-Z]+): /.exec(errorMessage(error));
  if (m?.[1]) out.add(m[1]);
  return out;
}
