// Saving a new version of one level's overrides (global, tenant or one workspace): the single
// code path behind save, reset-to-inherited, rollback and the regulated-mode switch, so every one
// of them gets the same checks:
//   1. the document is valid for the level (strict: unknown sections/fields, bounds, 64 KB);
//   2. optimistic concurrency: `expectedVersion` must be the version in force, else CONFLICT
//      naming who changed it and when — never a silent overwrite. Two saves racing past that check
//      both try to insert the same version number; the unique key lets one win and the other
//      gets the same CONFLICT (ON CONFLICT DO NOTHING, so the transaction stays usable);
//   3. the save may not introduce a cross-field inconsistency (idle ≤ session, step-up < block)
//      into the effective policy (an inconsistency caused by a higher level is reported, not
//      blocking);
//   4. caller-specific checks against existing data (regulated mode vs clients) via `validate`.
import { AppError } from "../isomorphic/errors";
import type { StoredVersion, NewVersion } from "./repository";
import { sameValue, validateOverrides } from "../isomorphic/policies/document";
import { resolvePolicy, valuesOf, type EffectivePolicy, type Layers } from "./resolve";
import { MAX_COMMENT_LENGTH, type Level, type OverridesDocument, type PolicyValues } from "../isomorphic/policies/sections";

/** One level's version history, as the commit needs it. */
export interface VersionStore {
  readonly level: Level;
  latest(): Promise<StoredVersion | null>;
  insert(v: NewVersion): Promise<StoredVersion | null>;
  /** The documents of the levels above this one (their newest versions). */
  parents(): Promise<Layers>;
}

export interface Author {
  id: string | null;
  label: string;
}

export interface CommitInput {
  document: unknown;
  expectedVersion: number;
  comment: string;
  author: Author;
  now?: Date;
  /** Checks against existing data; throw an AppError to refuse. */
  validate?: (before: PolicyValues, after: PolicyValues) => Promise<void>;
}

export interface Committed {
  saved: StoredVersion;
  previous: StoredVersion | null;
  before: EffectivePolicy;
  after: EffectivePolicy;
}

const MAX_LISTED_PROBLEMS = 12;

export function refusal(problems: string[]): AppError {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length > shown.length ? ` …and ${problems.length - shown.length} more.` : "";
  return new AppError("BAD_REQUEST", `The policy was not saved: ${shown.join(" ")}${more}`);
}

function when(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** The stale-version message: who changed it, when, and what to do. */
export function conflictError(latest: StoredVersion | null, expectedVersion: number): AppError {
  if (!latest) {
    return new AppError("POLICY_VERSION_CONFLICT", `This policy has no version ${expectedVersion} (nothing has been saved yet); reload and re-apply your change.`);
  }
  return new AppError(
    "POLICY_VERSION_CONFLICT",
    `This policy was changed by ${latest.authorLabel} at ${when(latest.createdAt)} (version ${latest.version}); reload and re-apply your change.`,
  );
}

export function cleanComment(comment: string): string {
  const c = comment.trim().replace(/\s+/g, " ");
  if (!c) throw new AppError("BAD_REQUEST", "comment: Say in a few words why the policy changes.", { field: "comment" });
  if (c.length > MAX_COMMENT_LENGTH) throw new AppError("BAD_REQUEST", `comment: At most ${MAX_COMMENT_LENGTH} characters.`, { field: "comment" });
  return c;
}

export async function commitVersion(store: VersionStore, input: CommitInput): Promise<Committed> {
  const comment = cleanComment(input.comment);
  const checked = validateOverrides(input.document, store.level);
  if (!checked.ok) throw refusal(checked.problems);
  const document: OverridesDocument = checked.document;

  const latest = await store.latest();
  if ((latest?.version ?? 0) !== input.expectedVersion) throw conflictError(latest, input.expectedVersion);
  if (sameValue(latest?.document ?? {}, document)) {
    throw new AppError("BAD_REQUEST", "Nothing to save: the overrides are the same as the current version.");
  }

  const parents = await store.parents();
  const before = resolvePolicy({ ...parents, [store.level]: latest?.document ?? null });
  const after = resolvePolicy({ ...parents, [store.level]: document });
  const introduced = after.problems.filter((p) => !p.id.startsWith("ignored:") && !before.problems.some((b) => b.id === p.id));
  if (introduced.length) throw refusal(introduced.map((p) => p.message));
  await input.validate?.(valuesOf(before), valuesOf(after));

  const saved = await store.insert({
    version: (latest?.version ?? 0) + 1,
    document,
    authorId: input.author.id,
    authorLabel: input.author.label.slice(0, 320),
    comment,
    createdAt: input.now ?? new Date(),
  });
  if (!saved) throw conflictError(await store.latest(), input.expectedVersion);
  return { saved, previous: latest, before, after };
}
