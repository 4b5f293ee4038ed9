"use client";
// The global defaults in the shared policy workbench (versions are named by number here).
import { useMemo } from "react";
import { useTRPCClient } from "@/components/trpc/client";
import { PolicyWorkbench } from "@/components/policies/policy-workbench";
import type { PolicyApi } from "@/components/policies/policy-api";

export function GlobalPolicies() {
  const client = useTRPCClient();
  const api = useMemo<PolicyApi>(
    () => ({
      key: ["policy-workbench", "(global)"],
      state: () => client.platform.policies.state.query(),
      versions: (cursor) => client.platform.policies.versions.query({ cursor }),
      diff: (to, from) => client.platform.policies.diff.query({ to: Number(to), ...(from === undefined ? {} : { from: from === null ? null : Number(from) }) }),
      save: (document, expectedVersion, comment) => client.platform.policies.save.mutate({ document, expectedVersion, comment }),
      rollback: (ref, expectedVersion, comment) => client.platform.policies.rollback.mutate({ toVersion: Number(ref), expectedVersion, comment: comment || undefined }),
    }),
    [client],
  );
  return <PolicyWorkbench api={api} canManage />;
}
