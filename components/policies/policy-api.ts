// What the shared policy workbench needs from a level (a tenant, one workspace, or the global
// defaults). The tenant and global pages implement it with their own tRPC procedures.
import type { PolicyState, VersionDiff, VersionPage } from "@/server/policies/service";
import type { OverridesDocument } from "@/server/isomorphic/policies/sections";

export interface PolicyApi {
  /** React Query key prefix of this level: state, versions and diffs live under it. */
  key: readonly unknown[];
  state(): Promise<PolicyState>;
  versions(cursor: number | null): Promise<VersionPage>;
  /** `from` undefined = the version before `to`; null = nothing. */
  diff(to: string, from: string | null | undefined): Promise<VersionDiff>;
  save(document: OverridesDocument, expectedVersion: number, comment: string): Promise<PolicyState>;
  rollback(ref: string, expectedVersion: number, comment: string): Promise<PolicyState>;
}
