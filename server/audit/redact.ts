// Before/after summaries are built from explicit fields by each service; this is the safety net
// that keeps secret-looking fields out of the audit trail even if a summary is too generous.
const SECRET_KEY = /(secret|password|passwd|private|hash|token|credential|apikey|api_key|^d$|^p$|^q$|^dp$|^dq$|^qi$|^k$)/i;

export const REDACTED = "[redacted]";

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactSecrets(v, depth + 1);
    return out;
  }
  if (typeof value === "bigint") return value.toString();
  return value;
}
