// Canonical JSON: keys sorted at every level, so the same value always encodes to the same bytes
// whatever order PostgreSQL's jsonb (or a parser) hands the keys back in. Used by the audit hash
// chain (chain.ts) and by everything the platform key signs (server/platform-keys/).

/** JSON with sorted keys; Dates as ISO strings, bigints as strings, undefined members dropped. */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
