// Server errors onto form fields. Validation failures carry zod issues with paths; service errors
// (AppError) may carry a field and always a stable code (server/api/trpc.ts errorFormatter). Both
// name a field by its input key, never by parsing the message. What names no known field is the
// form's own error (set on "root.server").
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { appErrorCodeOf } from "@/server/isomorphic/errors";
import { errorMessage } from "../trpc/error-message";

interface ErrorData {
  issues?: { path?: string; message?: string }[];
  field?: string | null;
}

function dataOf(error: unknown): ErrorData {
  const data = (error as { data?: unknown } | null)?.data;
  return data && typeof data === "object" ? (data as ErrorData) : {};
}

/**
 * Puts the server's complaints beside their fields. `fields` lists the form's field names; a path
 * outside it (or none) becomes the form-level error. Returns true if a field got the error.
 */
export function applyServerError<T extends FieldValues, C = unknown, O = T>(
  form: UseFormReturn<T, C, O>,
  error: unknown,
  fields: readonly Path<T>[],
): boolean {
  const data = dataOf(error);
  const code = appErrorCodeOf(error) ?? "server";
  const known = new Set<string>(fields);
  let placed = false;
  for (const issue of data.issues ?? []) {
    const path = issue.path ?? "";
    const top = path.split(".")[0] ?? "";
    const name = known.has(path) ? path : known.has(top) ? top : null;
    if (name && issue.message) {
      form.setError(name as Path<T>, { type: "server", message: issue.message }, { shouldFocus: !placed });
      placed = true;
    }
  }
  if (!placed && data.field && known.has(data.field)) {
    form.setError(data.field as Path<T>, { type: code, message: errorMessage(error) }, { shouldFocus: true });
    placed = true;
  }
  if (!placed) form.setError("root.server", { type: code, message: errorMessage(error) });
  return placed;
}
