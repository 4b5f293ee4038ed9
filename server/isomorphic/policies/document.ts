// Overrides documents: strict validation before anything is saved, equality and per-field diff.
// Strict on purpose: an unknown section or field is refused with a message rather than stored,
// because a stored key nobody reads is exactly the "saved and silently ignored" setting the issue
// forbids (and usually a typo).
import { FEATURES, FIXED_SECTIONS, MAX_DOCUMENT_BYTES, SECTION_KEYS, fieldSpec, isSectionKey, sectionLevels, type Level, type OverridesDocument } from "./sections";

export type ValidationResult = { ok: true; document: OverridesDocument } | { ok: false; problems: string[] };

const LEVEL_NAMES: Record<Level, string> = { global: "global defaults", tenant: "a tenant", workspace: "a workspace" };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

export function documentBytes(doc: unknown): number {
  return new TextEncoder().encode(JSON.stringify(doc) ?? "").length;
}

/**
 * Validates an overrides document for one level. Returns a normalised copy (empty sections
 * dropped, sections in display order) or every problem found, each naming `section.field`.
 */
export function validateOverrides(input: unknown, level: Level): ValidationResult {
  // Size first: never walk (or echo back) an oversized document.
  let bytes: number;
  try {
    bytes = documentBytes(input);
  } catch {
    return { ok: false, problems: ["The policy document is not valid JSON."] };
  }
  if (bytes > MAX_DOCUMENT_BYTES) {
    return { ok: false, problems: [`The policy document is ${Math.ceil(bytes / 1024)} KB; the limit is ${MAX_DOCUMENT_BYTES / 1024} KB.`] };
  }
  if (!isPlainObject(input)) return { ok: false, problems: ["The policy document must be an object of sections ({ section: { field: value } })."] };

  const problems: string[] = [];
  const out: OverridesDocument = {};
  for (const [key, value] of Object.entries(input)) {
    if (!isSectionKey(key)) {
      problems.push(`Unknown policy section "${key.slice(0, 64)}" (known: ${SECTION_KEYS.join(", ")}).`);
      continue;
    }
    if (!sectionLevels(key).includes(level)) {
      problems.push(`${key} cannot be set for ${LEVEL_NAMES[level]}: it applies to the whole tenant (set it at ${sectionLevels(key).join(" or ")} level).`);
      continue;
    }
    if (!isPlainObject(value)) {
      problems.push(`${key}: must be an object of fields.`);
      continue;
    }
    const fields = Object.entries(value);
    if (key === "features") {
      if (fields.length > FEATURES.maxKeys) problems.push(`features: at most ${FEATURES.maxKeys} flags (got ${fields.length}).`);
      for (const [flag, v] of fields) {
        if (!FEATURES.keyPattern.test(flag)) problems.push(`features: "${flag.slice(0, 64)}" is not a valid flag name (${FEATURES.keyRule}).`);
        else {
          const r = FEATURES.value.safeParse(v);
          if (!r.success) problems.push(`features.${flag}: ${r.error.issues[0]!.message}.`);
        }
      }
    } else {
      for (const [field, v] of fields) {
        const spec = fieldSpec(key, field);
        if (!spec) {
          problems.push(`Unknown field "${key}.${field.slice(0, 64)}" (known: ${Object.keys(FIXED_SECTIONS[key].fields).join(", ")}).`);
          continue;
        }
        const r = spec.schema.safeParse(v);
        if (!r.success) {
          const issue = r.error.issues[0]!;
          const where = issue.path.length ? `${key}.${field}.${issue.path.join(".")}` : `${key}.${field}`;
          problems.push(`${where}: ${issue.code === "unrecognized_keys" ? `unknown ${issue.keys.join(", ")}` : issue.message}.`);
        }
      }
    }
    if (fields.length) out[key] = { ...value };
  }
  if (problems.length) return { ok: false, problems };
  // Stable order, so equal documents compare equal and diffs read top to bottom.
  const ordered: OverridesDocument = {};
  for (const k of SECTION_KEYS) if (out[k]) ordered[k] = out[k];
  return { ok: true, document: ordered };
}

/** JSON with object keys sorted: equality of documents and values independent of key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export interface FieldChange {
  section: string;
  field: string;
  /** "set" = overridden in `to` only, "removed" = back to inherited, "changed" = both, different. */
  change: "set" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

/** Per-field differences between two overrides documents (absent = inherited). */
export function diffDocuments(from: OverridesDocument, to: OverridesDocument): FieldChange[] {
  const changes: FieldChange[] = [];
  const sections = [...SECTION_KEYS, ...Object.keys({ ...from, ...to }).filter((k) => !isSectionKey(k))];
  for (const section of sections) {
    const a = from[section] ?? {};
    const b = to[section] ?? {};
    const fieldNames = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const field of fieldNames) {
      const inA = Object.hasOwn(a, field);
      const inB = Object.hasOwn(b, field);
      if (inA && inB) {
        if (!sameValue(a[field], b[field])) changes.push({ section, field, change: "changed", before: a[field], after: b[field] });
      } else if (inB) changes.push({ section, field, change: "set", after: b[field] });
      else changes.push({ section, field, change: "removed", before: a[field] });
    }
  }
  return changes;
}

/** How many fields a document overrides (shown in the version list). */
export function overrideCount(doc: OverridesDocument): number {
  return Object.values(doc).reduce((n, s) => n + (isPlainObject(s) ? Object.keys(s).length : 0), 0);
}

/** A stored document read back from JSONB, defensively: anything but an object reads as empty. */
export function asDocument(v: unknown): OverridesDocument {
  if (!isPlainObject(v)) return {};
  const out: OverridesDocument = {};
  for (const [k, s] of Object.entries(v)) if (isPlainObject(s)) out[k] = s;
  return out;
}
