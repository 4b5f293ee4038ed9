"use client";
// A level's versions, newest first (paged), with author, time and comment; the changes of any
// version against its predecessor or between any two versions; and rollback — confirmed, and
// itself a new version based on the version in force (a stale page gets the usual conflict).
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { VersionItem } from "@/server/policies/service";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Field, Select, TextInput } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { DiffView } from "./diff-view";
import type { PolicyApi } from "./policy-api";
import { RelativeTime } from "@/components/time";
import { LoadingSkeleton } from "@/components/query-state";

type Selection = { to: string; from?: string | null };
const NOTHING = "__nothing__";

export function VersionHistory({ api, canManage, latestVersion, onChanged }: { api: PolicyApi; canManage: boolean; latestVersion: number; onChanged: () => Promise<void> }) {
  const queryClient = useQueryClient();
  const versions = useInfiniteQuery({
    queryKey: [...api.key, "versions"],
    queryFn: ({ pageParam }) => api.versions(pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = versions.data?.pages.flatMap((p) => p.items) ?? [];
  const [selection, setSelection] = useState<Selection | null>(null);
  const [fromRef, setFromRef] = useState<string>("");
  const [toRef, setToRef] = useState<string>("");
  const diff = useQuery({
    queryKey: [...api.key, "diff", selection],
    queryFn: () => api.diff(selection!.to, selection!.from),
    enabled: selection !== null,
  });

  const [rollbackTo, setRollbackTo] = useState<VersionItem | null>(null);
  const [rollbackComment, setRollbackComment] = useState("");
  const rollback = useMutation({
    mutationFn: (v: VersionItem) => api.rollback(v.ref, latestVersion, rollbackComment),
    onSuccess: async () => {
      setRollbackTo(null);
      await queryClient.invalidateQueries({ queryKey: api.key });
      await onChanged();
    },
  });

  const from = fromRef || items[1]?.ref || NOTHING;
  const to = toRef || items[0]?.ref || "";

  return (
    <Section title="Version history">
      {versions.isPending ? (
        <LoadingSkeleton label="Loading versions…" />
      ) : versions.isError ? (
        <Notice tone="error">{errorMessage(versions.error)}</Notice>
      ) : items.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="policy-no-versions">
          Nothing saved at this level yet: every value is inherited.
        </p>
      ) : (
        <div className="space-y-4">
          <div className="-mx-4 overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-4 py-2 font-medium">Version</th>
                  <th className="px-4 py-2 font-medium">Saved</th>
                  <th className="px-4 py-2 font-medium">Author</th>
                  <th className="px-4 py-2 font-medium">Comment</th>
                  <th className="px-4 py-2 font-medium">Overrides</th>
                  <th className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((v) => (
                  <tr key={v.ref} data-testid="policy-version" data-version={v.version}>
                    <td className="px-4 py-2 font-medium text-slate-900">
                      {v.version}
                      {v.version === latestVersion ? <span className="ml-2 text-xs font-normal text-indigo-700">in force</span> : null}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-slate-700">
                      <RelativeTime at={v.createdAt} />
                    </td>
                    <td className="px-4 py-2 text-slate-700">{v.authorLabel}</td>
                    <td className="max-w-md px-4 py-2 text-slate-700">{v.comment}</td>
                    <td className="px-4 py-2 text-slate-700">{v.overrides}</td>
                    <td className="whitespace-nowrap px-4 py-2 text-right">
                      <Button variant="ghost" className="py-1 text-xs" onClick={() => setSelection({ to: v.ref })} data-testid="policy-version-changes">
                        Changes
                      </Button>
                      {canManage && v.version !== latestVersion ? (
                        <Button
                          variant="ghost"
                          className="py-1 text-xs"
                          onClick={() => {
                            rollback.reset();
                            setRollbackComment("");
                            setRollbackTo(v);
                          }}
                          data-testid="policy-version-rollback"
                        >
                          Roll back to this
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {versions.hasNextPage ? (
            <Button variant="secondary" onClick={() => versions.fetchNextPage()} disabled={versions.isFetchingNextPage}>
              {versions.isFetchingNextPage ? "Loading…" : "Older versions"}
            </Button>
          ) : null}

          <form
            className="flex flex-wrap items-end gap-3 border-t border-slate-200 pt-4"
            onSubmit={(e) => {
              e.preventDefault();
              if (to) setSelection({ to, from: from === NOTHING ? null : from });
            }}
          >
            <Field id="policy-diff-from" label="Compare version">
              <Select id="policy-diff-from" value={from} onChange={(e) => setFromRef(e.target.value)}>
                {items.map((v) => (
                  <option key={v.ref} value={v.ref}>
                    {v.version}
                  </option>
                ))}
                <option value={NOTHING}>nothing (before version 1)</option>
              </Select>
            </Field>
            <Field id="policy-diff-to" label="with version">
              <Select id="policy-diff-to" value={to} onChange={(e) => setToRef(e.target.value)}>
                {items.map((v) => (
                  <option key={v.ref} value={v.ref}>
                    {v.version}
                  </option>
                ))}
              </Select>
            </Field>
            <Button type="submit" variant="secondary" data-testid="policy-compare">
              Compare
            </Button>
          </form>

          {selection ? (
            diff.isPending ? (
              <LoadingSkeleton label="Loading differences…" />
            ) : diff.isError ? (
              <Notice tone="error">{errorMessage(diff.error)}</Notice>
            ) : (
              <DiffView diff={diff.data} />
            )
          ) : null}
        </div>
      )}

      <ConfirmDialog
        open={rollbackTo !== null}
        title={rollbackTo ? `Roll back to version ${rollbackTo.version}?` : ""}
        confirmLabel="Roll back"
        pending={rollback.isPending}
        onCancel={() => setRollbackTo(null)}
        onConfirm={() => rollbackTo && rollback.mutate(rollbackTo)}
      >
        <p>
          A new version {latestVersion + 1} is saved with exactly the overrides of version {rollbackTo?.version}; the versions in between stay in
          the history. The same checks as any save apply.
        </p>
        <Field id="policy-rollback-comment" label="Comment (optional)">
          <TextInput id="policy-rollback-comment" value={rollbackComment} maxLength={400} onChange={(e) => setRollbackComment(e.target.value)} />
        </Field>
        {rollback.isError ? (
          <Notice tone="error" testId="policy-rollback-error">
            {errorMessage(rollback.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </Section>
  );
}
