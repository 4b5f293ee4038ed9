// How policy values and their sources read on screen (shared by the tenant and global pages).
import type { Control, Level, Source } from "@/server/isomorphic/policies/sections";

export function formatPolicyValue(control: Control | { kind: "flag" }, value: unknown): string {
  if (value === undefined) return "inherited";
  switch (control.kind) {
    case "bool":
    case "flag":
      return value === true ? "on" : value === false ? "off" : String(value);
    case "int":
      return typeof value === "number" && control.unit ? `${value} ${control.unit}` : String(value);
    case "text": {
      const s = String(value);
      return s.length > 80 ? `“${s.slice(0, 77)}…”` : `“${s}”`;
    }
    case "choice":
      return String(value);
    case "rate": {
      const r = value as { requestsPerWindow?: unknown; windowSeconds?: unknown; burst?: unknown };
      return `${String(r.requestsPerWindow)} per ${String(r.windowSeconds)} s, burst ${String(r.burst)}`;
    }
  }
}

/** "overridden here", "default", or "inherited from global/tenant". */
export function sourceLabel(source: Source, level: Level): string {
  if (source === level) return "overridden here";
  if (source === "default") return "default";
  return `inherited from ${source}`;
}

export const LEVEL_NOUNS: Record<Level, string> = { global: "global defaults", tenant: "tenant", workspace: "workspace" };
