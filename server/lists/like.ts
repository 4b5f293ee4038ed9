// Search terms in LIKE/ILIKE patterns, Prisma's `contains` included: Prisma puts the term between
// `%…%` as it is, so a `%` or `_` typed in a search box would act as a wildcard. Escaped here
// (backslash is LIKE's default escape), every character matches only itself.

/** `term` with LIKE's special characters (`%`, `_`, `\`) escaped. */
export function likeLiteral(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
