"use client";
// The tenant's policies page: which level is edited (the tenant, or one of its workspaces, chosen
// by ?workspace=<slug>), and the shared policy workbench for that level.
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { PolicyWorkbench } from "@/components/policies/policy-workbench";
import type { PolicyApi } from "@/components/policies/policy-api";
import { WorkspaceBar } from "./workspace-bar";

export function TenantPolicies({ tenant, workspace, canManage }: { tenant: string; workspace: string | null; canManage: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();

  const api = useMemo<PolicyApi>(
    () => ({
      key: ["policy-workbench", tenant, workspace ?? ""],
      state: () => client.policies.state.query({ tenant, workspace }),
      versions: (cursor) => client.policies.versions.query({ tenant, workspace, cursor }),
      diff: (to, from) => client.policies.diff.query({ tenant, toVersionId: to, ...(from === undefined ? {} : { fromVersionId: from }) }),
      save: (document, expectedVersion, comment) => client.policies.save.mutate({ tenant, workspace, document, expectedVersion, comment }),
      rollback: (ref, expectedVersion, comment) => client.policies.rollback.mutate({ tenant, versionId: ref, expectedVersion, comment: comment || undefined }),
    }),
    [client, tenant, workspace],
  );

  // Regulated mode, signing-key grace and workspace versions are shown elsewhere too.
  const onChanged = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.workspaces.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() }),
    ]);
  };

  return (
    <div className="space-y-6">
      <WorkspaceBar tenant={tenant} workspace={workspace} canManage={canManage} />
      <PolicyWorkbench key={workspace ?? ""} api={api} canManage={canManage} onChanged={onChanged} />
    </div>
  );
}
