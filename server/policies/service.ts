// Policy operations, ONE implementation for every level — the global defaults, a tenant, one of its
// workspaces: read a level's state, save overrides as a new version, reset one field to what it
// inherits, roll back to an earlier version, list versions, diff two versions. A PolicyLevel says
// where the level's versions live (a VersionHistory, server/policies/repository.ts), in which
// transaction, and what a change there records besides the version (tenant-level.ts: the tenant's
// audit trail; platform.ts: the platform audit stream and every inheriting tenant). All writes go
// through commitVersion (server/policies/commit.ts): strict validation, optimistic concurrency, rules.
import type { z } from "zod";
import type { AuditActor } from "../audit/record";
import { AppError } from "../isomorphic/errors";
import type { StoredVersion, VersionHistory } from "./repository";
import { commitVersion, refusal, type Author, type Committed } from "./commit";
import { diffDocuments, overrideCount, validateOverrides, type FieldChange } from "../isomorphic/policies/document";
import { resolvePolicy, type EffectivePolicy } from "./resolve";
import { MAX_COMMENT_LENGTH, type Level, type OverridesDocument, type PolicyValues } from "../isomorphic/policies/sections";
import type { listVersionsInput, resetFieldInput, rollbackOptions, saveInput } from "./inputs";

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface VersionItem {
  /** How the UI names a version: the row id (tenant levels) or the version number (global). */
  ref: string;
  version: number;
  authorLabel: string;
  createdAt: Date;
  comment: string;
  /** Number of fields this version overrides. */
  overrides: number;
}

export interface PolicyState {
  level: Level;
  workspace: { slug: string; name: string } | null;
  latest: VersionItem | null;
  overrides: OverridesDocument;
  /** With this level's overrides. */
  effective: EffectivePolicy;
  /** Without them: what "Reset to inherited" falls back to. */
  inherited: EffectivePolicy;
}

export interface VersionPage {
  items: VersionItem[];
  nextCursor: number | null;
}

export interface VersionDiff {
  from: VersionItem | null;
  to: VersionItem;
  changes: FieldChange[];
}

const item = (v: StoredVersion): VersionItem => ({
  ref: v.id ?? String(v.version),
  version: v.version,
  authorLabel: v.authorLabel,
  createdAt: v.createdAt,
  comment: v.comment,
  overrides: overrideCount(v.document),
});

// ---------------------------------------------------------------------------------------------
// A level
// ---------------------------------------------------------------------------------------------

/** What a change did, as the audit actions name it (`policy.saved`, `global_policy.rolled_back`…). */
export type PolicyChange = "saved" | "field_reset" | "rolled_back";

/** One open transaction of a level: its history, and how a committed change is recorded in it. */
export interface LevelTransaction {
  history: VersionHistory;
  /** Checks against existing data before the version is written (commitVersion's validate). */
  validate?: (before: PolicyValues, after: PolicyValues) => Promise<void>;
  /** Records the committed change in the same transaction (both commit or neither). */
  record(change: PolicyChange, committed: Committed): Promise<void>;
}

export interface PolicyLevel {
  readonly level: Level;
  readonly workspace: { slug: string; name: string } | null;
  readonly author: Author;
  /** What a reset field falls back to, for the version's comment. */
  readonly resetsTo: "inherited" | "the default";
  /** Runs `work` in this level's transaction (the request's tenant transaction, or a platform one). */
  transaction<T>(work: (tx: LevelTransaction) => Promise<T>): Promise<T>;
  /** Checks that need transactions of their own, before the write's (global: every inheriting tenant). */
  precheck?(document: unknown): Promise<void>;
  /** After the write committed: caches and log lines. */
  afterCommit?(change: PolicyChange, committed: Committed): void;
}

export function authorOf(actor: AuditActor): Author {
  return { id: actor.type === "user" ? actor.id : null, label: actor.type === "api_key" ? `API key ${actor.label ?? actor.id}` : (actor.label ?? actor.type) };
}

const NOT_FOUND_MESSAGE = "Policy version not found.";

function withoutField(doc: OverridesDocument, section: string, field: string): OverridesDocument | null {
  if (!doc[section] || !Object.hasOwn(doc[section], field)) return null;
  const rest = { ...doc[section] };
  delete rest[field];
  const out = { ...doc };
  if (Object.keys(rest).length) out[section] = rest;
  else delete out[section];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

export function policyState(level: PolicyLevel): Promise<PolicyState> {
  return level.transaction(async ({ history }) => {
    const { own, parents } = await history.current();
    return {
      level: level.level,
      workspace: level.workspace,
      latest: own ? item(own) : null,
      overrides: own?.document ?? {},
      effective: resolvePolicy({ ...parents, [level.level]: own?.document ?? null }),
      inherited: resolvePolicy(parents),
    };
  });
}

/** Writes a new version of the level (the single write path of every operation below). */
export async function commitPolicy(level: PolicyLevel, change: PolicyChange, input: { document: unknown; expectedVersion: number; comment: string }): Promise<PolicyState> {
  await level.precheck?.(input.document);
  const committed = await level.transaction(async (tx) => {
    const c = await commitVersion(tx.history, { ...input, author: level.author, validate: tx.validate });
    await tx.record(change, c);
    return c;
  });
  level.afterCommit?.(change, committed);
  return policyState(level);
}

export function savePolicy(level: PolicyLevel, input: z.infer<typeof saveInput>): Promise<PolicyState> {
  return commitPolicy(level, "saved", input);
}

export async function resetPolicyField(level: PolicyLevel, input: z.infer<typeof resetFieldInput>): Promise<PolicyState> {
  const latest = await level.transaction(({ history }) => history.latest());
  const document = withoutField(latest?.document ?? {}, input.section, input.field);
  if (!document) throw new AppError("BAD_REQUEST", `${input.section}.${input.field} is not overridden here; it is already inherited.`);
  const comment = input.comment?.trim() || `Reset ${input.section}.${input.field} to ${level.resetsTo}`;
  return commitPolicy(level, "field_reset", { document, expectedVersion: input.expectedVersion, comment });
}

/** Restores the level to an earlier version of its own (by VersionItem.ref), as a new version. */
export async function rollbackPolicy(level: PolicyLevel, ref: string, input: z.infer<typeof rollbackOptions>): Promise<PolicyState> {
  const version = await level.transaction(async ({ history }) => {
    const v = await history.byRef(ref);
    return v && v.scope === history.scope ? v : null;
  });
  if (!version) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const check = validateOverrides(version.document, level.level);
  if (!check.ok) throw refusal([`Version ${version.version} can no longer be restored as it is:`, ...check.problems]);
  const note = input.comment?.trim();
  const comment = `Rollback to version ${version.version}${note ? `: ${note}` : ""}`.slice(0, MAX_COMMENT_LENGTH);
  return commitPolicy(level, "rolled_back", { document: version.document, expectedVersion: input.expectedVersion, comment });
}

export function listPolicyVersions(level: PolicyLevel, input: z.infer<typeof listVersionsInput>): Promise<VersionPage> {
  return level.transaction(async ({ history }) => {
    const rows = await history.list({ before: input.cursor, limit: input.limit + 1 });
    const items = rows.slice(0, input.limit).map(item);
    return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.version : null };
  });
}

/** `fromRef` omitted = the version just before `to`; null = nothing (before the first). */
export function diffPolicyVersions(level: PolicyLevel, toRef: string, fromRef?: string | null): Promise<VersionDiff> {
  return level.transaction(async ({ history }) => {
    const to = await history.byRef(toRef);
    if (!to || to.scope !== history.scope) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
    let from: StoredVersion | null = null;
    if (fromRef) {
      const f = await history.byRef(fromRef);
      if (!f) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
      if (f.scope !== to.scope) throw new AppError("BAD_REQUEST", "Both versions must belong to the same policy (the tenant's or one workspace's).");
      from = f;
    } else if (fromRef === undefined && to.version > 1) {
      from = await history.byNumber(to.version - 1);
    }
    return { from: from ? item(from) : null, to: item(to), changes: diffDocuments(from?.document ?? {}, to.document) };
  });
}
