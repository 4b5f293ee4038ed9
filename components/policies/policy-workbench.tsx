"use client";
// One level's policies: the editor (every section, effective values with sources, overrides,
// save with a comment) and the version history (diff, rollback). Used by the tenant page (tenant
// or workspace level) and the security admins' global defaults page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/components/trpc/error-message";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/components/format";
import type { OverridesDocument } from "@/server/isomorphic/policies/sections";
import { PolicyEditor } from "./policy-editor";
import { VersionHistory } from "./version-history";
import type { PolicyApi } from "./policy-api";
import { LoadingSkeleton } from "@/components/query-state";

export function PolicyWorkbench({ api, canManage, onChanged }: { api: PolicyApi; canManage: boolean; onChanged?: () => Promise<void> }) {
  const queryClient = useQueryClient();
  const state = useQuery({ queryKey: [...api.key, "state"], queryFn: () => api.state() });
  const changed = async () => {
    await queryClient.invalidateQueries({ queryKey: api.key });
    await onChanged?.();
  };
  const save = useMutation({
    mutationFn: (v: { document: OverridesDocument; comment: string; expectedVersion: number }) => api.save(v.document, v.expectedVersion, v.comment),
    onSuccess: changed,
  });

  if (state.isPending) return <LoadingSkeleton label="Loading policies…" />;
  if (state.isError) {
    return (
      <Notice tone="error" testId="policy-load-error">
        {errorMessage(state.error)}
      </Notice>
    );
  }
  const s = state.data;
  const latestVersion = s.latest?.version ?? 0;

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600" data-testid="policy-version-in-force">
        {s.latest ? (
          <>
            Version <strong className="font-medium text-slate-900">{s.latest.version}</strong> is in force, saved by {s.latest.authorLabel} at{" "}
            {formatDateTime(s.latest.createdAt)}: “{s.latest.comment}”.
          </>
        ) : (
          <>Nothing is saved at this level yet: every value is inherited.</>
        )}
      </p>
      <PolicyEditor
        // A new version (saved here, or found on reload after a conflict) starts a fresh draft.
        key={latestVersion}
        state={s}
        canManage={canManage}
        saving={save.isPending}
        saveError={save.error}
        onSave={(document, comment) => save.mutate({ document, comment, expectedVersion: latestVersion })}
        onReload={async () => {
          save.reset();
          await changed();
        }}
      />
      <VersionHistory api={api} canManage={canManage} latestVersion={latestVersion} onChanged={async () => {
        save.reset();
        await onChanged?.();
      }} />
    </div>
  );
}
