// The bench's small plug-in interface. A case is `{ name, title, run(ctx) }` and is registered in
// the one list in server/bench/cases/index.ts; the runner (server/bench/index.ts) prints its rows.
import type pg from "pg";
import type { Summary } from "./stats";

/** Sizes, from the environment (see readSizes in index.ts for the variables and defaults). */
export interface Sizes {
  /** Tenants provisioned through provisionTenant (and again through the raw-SQL baseline). */
  tenants: number;
  /** Measured reads per path in the tenant-scoped read case. */
  reads: number;
  /** Audit events seeded for the read case (spread round-robin over the run's tenants). */
  auditEvents: number;
  /** Memberships seeded for the read case (random distinct tenant × user pairs). */
  memberships: number;
  /** Console users seeded for the memberships. */
  users: number;
  /** Untimed warmup iterations per measured path. */
  warmup: number;
}

export interface BenchContext {
  readonly sizes: Sizes;
  /** Short slug-safe id of this run ([a-z0-9]); prefix every slug / e-mail a case creates with it. */
  readonly runId: string;
  /**
   * Connections as the database owner / superuser of the bench database (raw-SQL baselines, fast
   * seeding, EXPLAIN). Bench-only: application code never gets a connection outside the doors.
   */
  readonly ownerPool: pg.Pool;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
  /** A titled block printed after the table and stored in the JSON (plans, sanity checks, ratios). */
  detail(title: string, lines: string[]): void;
}

/** One line of the results table. */
export interface Row {
  /** Case title, e.g. "provision tenant". */
  readonly case: string;
  /** The path measured, e.g. "provisionTenant()" or "raw pg (baseline)". */
  readonly variant: string;
  readonly summary: Summary;
  /** True for the row the case's ratios are relative to. */
  readonly baseline: boolean;
  /** p50 / baseline p50; null for the baseline row itself. */
  readonly ratio: number | null;
  readonly note: string;
}

export interface BenchCase {
  /** Used by `--only`; matches the file name in server/bench/cases/. */
  readonly name: string;
  /** Shown in the table's case column. */
  readonly title: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

/** Builds a row; pass the baseline summary to get the ratio (omit it for the baseline row). */
export function row(
  caseTitle: string,
  variant: string,
  summary: Summary,
  opts: { baseline?: Summary; isBaseline?: boolean; note?: string } = {},
): Row {
  return {
    case: caseTitle,
    variant,
    summary,
    baseline: opts.isBaseline ?? false,
    ratio: opts.baseline ? summary.p50 / opts.baseline.p50 : null,
    note: opts.note ?? "",
  };
}
