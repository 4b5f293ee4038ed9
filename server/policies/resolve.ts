// The effective policy: defaults ← global latest ← tenant latest ← workspace latest, merged per
// FIELD, each field reporting where its value comes from. `resolvePolicy` is pure (unit-tested,
// benchmarked); the loaders below read the newest versions and call it.
//
// Stored documents were validated when saved, but are re-checked here field by field: a value
// that no longer fits (code changed its bounds, a hand-edited row) is ignored and reported in
// `problems` instead of reaching a consumer.
import type { TenantReadScope } from "../db/doors";
import { latestLayers, type StoredVersion } from "./repository";
import {
  FEATURES,
  FIXED_SECTIONS,
  LEVELS,
  isSectionKey,
  sectionLevels,
  type FieldSpec,
  type FixedSectionKey,
  type Level,
  type OverridesDocument,
  type PolicyValues,
  type RateLimitsPolicy,
  type Source,
} from "../isomorphic/policies/sections";

export interface EffectiveField<T = unknown> {
  value: T;
  source: Source;
  /** Set when a rule overrides what the levels say (consent under regulated mode). */
  forcedBy?: "regulated";
}

export type EffectiveSections = {
  [S in FixedSectionKey]: { [F in keyof PolicyValues[S]]: EffectiveField<PolicyValues[S][F]> };
} & { features: Record<string, EffectiveField<boolean>> };

export interface PolicyProblem {
  /** Stable per kind of problem (a rule id, or "ignored:<level>:<path>"). */
  id: string;
  message: string;
}

export interface EffectivePolicy {
  sections: EffectiveSections;
  problems: PolicyProblem[];
}

export type Layers = Partial<Record<Level, OverridesDocument | null>>;

export function resolvePolicy(layers: Layers): EffectivePolicy {
  const problems: PolicyProblem[] = [];
  const ignored = (level: Level, path: string, why: string) =>
    problems.push({ id: `ignored:${level}:${path}`, message: `The ${level} override of ${path} ${why} and is ignored.` });

  for (const level of LEVELS) {
    for (const key of Object.keys(layers[level] ?? {})) {
      if (!isSectionKey(key)) ignored(level, key, "is not a known section");
      else if (!sectionLevels(key).includes(level)) ignored(level, key, `cannot be set at ${level} level`);
    }
  }

  const sections = {} as Record<string, Record<string, EffectiveField>>;
  for (const key of Object.keys(FIXED_SECTIONS) as FixedSectionKey[]) {
    const spec = FIXED_SECTIONS[key];
    const out: Record<string, EffectiveField> = {};
    for (const [field, f] of Object.entries(spec.fields) as [string, FieldSpec][]) {
      let current: EffectiveField = { value: f.default, source: "default" };
      for (const level of spec.levels) {
        const section = layers[level]?.[key];
        if (!section || !Object.hasOwn(section, field)) continue;
        const r = f.schema.safeParse(section[field]);
        if (r.success) current = { value: r.data, source: level };
        else ignored(level, `${key}.${field}`, `is invalid (${r.error.issues[0]!.message})`);
      }
      out[field] = current;
    }
    for (const level of spec.levels) {
      for (const field of Object.keys(layers[level]?.[key] ?? {})) {
        if (!Object.hasOwn(spec.fields, field)) ignored(level, `${key}.${field}`, "is not a known field");
      }
    }
    sections[key] = out;
  }

  const features: Record<string, EffectiveField<boolean>> = {};
  for (const level of FEATURES.levels) {
    for (const [flag, v] of Object.entries(layers[level]?.features ?? {})) {
      const r = FEATURES.value.safeParse(v);
      if (FEATURES.keyPattern.test(flag) && r.success) features[flag] = { value: r.data, source: level };
      else ignored(level, `features.${flag}`, "is invalid");
    }
  }
  sections.features = features;

  const effective = sections as unknown as EffectiveSections;
  // ADR-003: regulated mode minimises consent to required scopes, whatever the levels say.
  if (effective.regulated.enabled.value) {
    effective.consent.requiredScopesOnly = { ...effective.consent.requiredScopesOnly, value: true, forcedBy: "regulated" };
  }

  const values = valuesOf({ sections: effective });
  for (const key of Object.keys(FIXED_SECTIONS) as FixedSectionKey[]) {
    for (const rule of FIXED_SECTIONS[key].rules as readonly { id: string; check: (v: unknown) => string | null }[]) {
      const message = rule.check(values[key]);
      if (message) problems.push({ id: rule.id, message });
    }
  }
  return { sections: effective, problems };
}

/** Just the values, as consumers read them. */
export function valuesOf(p: Pick<EffectivePolicy, "sections">): PolicyValues {
  const out = {} as Record<string, Record<string, unknown>>;
  for (const [key, fields] of Object.entries(p.sections)) {
    out[key] = Object.fromEntries(Object.entries(fields as Record<string, EffectiveField>).map(([f, e]) => [f, e.value]));
  }
  return out as PolicyValues;
}

// ---------------------------------------------------------------------------------------------
// Loaders
// ---------------------------------------------------------------------------------------------

export interface VersionRef {
  version: number;
  authorLabel: string;
  createdAt: Date;
  comment: string;
}

const ref = (v: StoredVersion | null): VersionRef | null => (v ? { version: v.version, authorLabel: v.authorLabel, createdAt: v.createdAt, comment: v.comment } : null);

export interface LoadedEffectivePolicy extends EffectivePolicy {
  /** The versions in force at each level (null = none saved). */
  versions: { global: VersionRef | null; tenant: VersionRef | null; workspace: VersionRef | null };
}

/** The tenant's effective policy (or one workspace's, by id) inside the tenant's transaction. */
export async function loadEffectivePolicy(scope: TenantReadScope, workspaceId: string | null = null): Promise<LoadedEffectivePolicy> {
  const l = await latestLayers(scope, workspaceId);
  const resolved = resolvePolicy({ global: l.global?.document, tenant: l.tenant?.document, workspace: l.workspace?.document });
  return { ...resolved, versions: { global: ref(l.global), tenant: ref(l.tenant), workspace: ref(l.workspace) } };
}

/** Tenant-wide effective values (what per-tenant consumers — clients, keys, rate limits — use). */
export async function effectiveTenantValues(scope: TenantReadScope): Promise<PolicyValues> {
  return valuesOf(await loadEffectivePolicy(scope));
}

/**
 * For the rate-limit engine (server/ratelimit/): the tenant's effective limits per surface,
 * { trpc, apiKey, public } → { requestsPerWindow, windowSeconds, burst }. Read per request (one
 * small query), so a saved change takes effect on the next request.
 */
export async function effectiveRateLimits(scope: TenantReadScope): Promise<RateLimitsPolicy> {
  return (await effectiveTenantValues(scope)).rateLimits;
}

/** The tenant's effective signing-key auto-promote grace period, in hours. */
export async function effectiveAutoPromoteHours(scope: TenantReadScope): Promise<number> {
  return (await effectiveTenantValues(scope)).keyRotation.autoPromoteAfterHours;
}
