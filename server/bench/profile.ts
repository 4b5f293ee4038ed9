// BENCH_PROFILE: named sizes for the cases, applied before anything reads the environment. A
// variable set explicitly always wins over the profile.
//
//   (unset)   the small default sizes of each case (a few minutes in all)
//   target    issue 16's target size in one command: 10,007 tenants in the audit case (10,006
//             viewer tenants sharing 10M events + 1 export tenant with 1M), 1M events per purged
//             tenant. Seeding is generate_series INSERTs as the owner with triggers off.
const PROFILES: Record<string, Record<string, string>> = {
  target: {
    BENCH_AUDIT_TENANTS: "10006",
    BENCH_AUDIT_VIEW_EVENTS: "10000000",
    BENCH_AUDIT_EXPORT_EVENTS: "1000000",
    BENCH_PURGE_EVENTS: "1000000",
  },
};

/** Sets the profile's variables that are not set already; fails on an unknown profile name. */
export function applyBenchProfile(name: string | undefined): string | null {
  if (!name) return null;
  const profile = PROFILES[name];
  if (!profile) throw new Error(`BENCH_PROFILE must be one of ${Object.keys(PROFILES).join(", ")} (got "${name}")`);
  for (const [k, v] of Object.entries(profile)) if (process.env[k] === undefined || process.env[k] === "") process.env[k] = v;
  return name;
}
