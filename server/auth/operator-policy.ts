// The global-only "operators" policy section (server/isomorphic/policies/sections.ts): session idle timeout and
// lifetime, invitation expiry, second factor for tenant roles, step-up window. Read from the newest
// GLOBAL version only — the section cannot be set per tenant or workspace (document validation
// refuses it there, and this reader never looks at tenant layers).
//
// loadOperator reads it on every request, so the resolved values are memoised per global version:
// the query fetches the document only when the version changed.
import type { Db } from "../db/doors";
import { asDocument } from "../isomorphic/policies/document";
import { resolvePolicy, valuesOf } from "../policies/resolve";
import type { PolicyValues } from "../isomorphic/policies/sections";

export type OperatorPolicy = PolicyValues["operators"];

let memo: { version: number; values: OperatorPolicy } | null = null;

/** The values for a global version (null = none saved) whose document is `document` (null = unchanged since memoised). */
export function operatorPolicyFor(version: number | null, document: unknown): OperatorPolicy {
  const v = version ?? 0;
  if (memo && memo.version === v && document == null) return memo.values;
  const values = valuesOf(resolvePolicy({ global: v === 0 || document == null ? null : asDocument(document) })).operators;
  memo = { version: v, values };
  return values;
}

/** The version the memo holds (-1 = nothing yet): lets the per-request query skip the document. */
export function memoisedOperatorPolicyVersion(): number {
  return memo ? memo.version : -1;
}

export async function readOperatorPolicy(db: Db): Promise<OperatorPolicy> {
  const known = memoisedOperatorPolicyVersion();
  const rows = await db.$queryRaw<{ version: number; document: unknown }[]>`
    SELECT version, CASE WHEN version = ${known} THEN NULL ELSE document END AS document
    FROM global_policy_versions ORDER BY version DESC LIMIT 1`;
  const row = rows[0];
  if (!row) return operatorPolicyFor(null, known === 0 ? null : {});
  return operatorPolicyFor(Number(row.version), row.document);
}
