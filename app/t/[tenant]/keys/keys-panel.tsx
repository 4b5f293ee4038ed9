"use client";
// The tenant's signing keys and, for keys.manage, the lifecycle actions: rotate (stage a next key),
// promote, revoke a previous key, and the emergency rotate-and-revoke. Each action is confirmed in a
// dialog that says what happens to tokens already issued.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RsaModulusLength, SigningAlgorithm } from "@/server/isomorphic/signing-keys/algorithms";
import type { SigningKeyView } from "@/server/signing-keys/service";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, invalidFields } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { Button } from "@/components/ui/button";
import { Section } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { formatDateTime } from "@/components/format";
import { AlgorithmFields, type KeyChoice } from "./algorithm-fields";
import { JwksInfo } from "./jwks-info";
import { KeysTable } from "./keys-table";
import { FirstLoad } from "@/components/query-state";

type Action =
  | { kind: "stage" }
  | { kind: "promote"; next: SigningKeyView; current: SigningKeyView | null; stagedRecently: boolean }
  | { kind: "revoke"; key: SigningKeyView }
  | { kind: "rotateAndRevoke"; current: SigningKeyView | null };

const TITLES: Record<Action["kind"], string> = {
  stage: "Rotate: stage a new key?",
  promote: "Promote the next key?",
  revoke: "Revoke this key?",
  rotateAndRevoke: "Rotate and revoke the current key?",
};

const CONFIRM_LABELS: Record<Action["kind"], string> = {
  stage: "Stage key",
  promote: "Promote",
  revoke: "Revoke key",
  rotateAndRevoke: "Rotate and revoke",
};

function Kid({ kid }: { kid: string }) {
  return <code className="break-all font-mono text-slate-900">{kid}</code>;
}

export function KeysPanel({
  tenant,
  canManage,
  algorithms,
  defaultAlgorithm,
  rsaSizes,
  cacheMinutes,
}: {
  tenant: string;
  canManage: boolean;
  algorithms: readonly SigningAlgorithm[];
  defaultAlgorithm: SigningAlgorithm;
  rsaSizes: readonly RsaModulusLength[];
  cacheMinutes: number;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const locked = useTenantLock();
  const list = useQuery(trpc.keys.list.queryOptions({ tenant }));
  const [action, setAction] = useState<Action | null>(null);
  const [choice, setChoice] = useState<KeyChoice>({ alg: defaultAlgorithm, rsaSize: rsaSizes[0]! });
  const [done, setDone] = useState<string | null>(null);

  const finish = async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.keys.list.queryKey() });
    setAction(null);
    setDone(message);
  };

  const stage = useMutation(
    trpc.keys.stage.mutationOptions({
      onSuccess: (k) =>
        finish(
          `Key ${k.kid} (${k.alg}) is staged as next and published in the JWKS.` +
            (k.autoPromoteAt ? ` It will be promoted automatically at ${formatDateTime(k.autoPromoteAt)}.` : ""),
        ),
    }),
  );
  const promote = useMutation(
    trpc.keys.promote.mutationOptions({
      onSuccess: (k) => finish(`Key ${k.kid} is now current and signs new tokens. The key it replaced is previous and keeps verifying until you revoke it.`),
    }),
  );
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: (k) => finish(`Key ${k.kid} is revoked and no longer published in the JWKS.`),
    }),
  );
  const rotateAndRevoke = useMutation(
    trpc.keys.rotateAndRevoke.mutationOptions({
      onSuccess: (k) => finish(`Key ${k.kid} (${k.alg}) is now current. The key it replaced is revoked.`),
    }),
  );
  const mutations = { stage, promote, revoke, rotateAndRevoke } as const;
  const active = action ? mutations[action.kind] : null;

  const keys = list.data?.keys ?? [];
  const next = keys.find((k) => k.state === "next") ?? null;
  const current = keys.find((k) => k.state === "current") ?? null;

  function open(a: Action) {
    for (const m of Object.values(mutations)) m.reset();
    setDone(null);
    if (a.kind === "stage" || a.kind === "rotateAndRevoke") setChoice((c) => ({ ...c, alg: current?.alg ?? defaultAlgorithm }));
    setAction(a);
  }

  function confirm() {
    if (!action) return;
    const keyInput = { alg: choice.alg, modulusLength: choice.alg === "RS256" ? choice.rsaSize : undefined };
    switch (action.kind) {
      case "stage":
        return stage.mutate({ tenant, ...keyInput });
      case "promote":
        return promote.mutate({ tenant });
      case "revoke":
        return revoke.mutate({ tenant, keyId: action.key.id });
      case "rotateAndRevoke":
        return rotateAndRevoke.mutate({ tenant, ...keyInput });
    }
  }

  const rotateHintId = "keys-rotate-hint";
  const toolbar =
    canManage && list.data ? (
      <div className="flex flex-wrap gap-2">
        <Button
          onClick={() => open({ kind: "stage" })}
          disabled={next !== null}
          aria-describedby={rotateHintId}
          {...lockedButtonProps(locked)}
          data-testid="keys-rotate"
        >
          Rotate
        </Button>
        <Button
          variant="secondary"
          onClick={() => next && open({ kind: "promote", next, current, stagedRecently: Date.now() - next.createdAt.getTime() < cacheMinutes * 60_000 })}
          disabled={next === null}
          aria-describedby={rotateHintId}
          {...lockedButtonProps(locked)}
          data-testid="keys-promote"
        >
          Promote
        </Button>
      </div>
    ) : null;

  return (
    <>
      {done ? (
        <Notice tone="info" testId="keys-success">
          {done}
        </Notice>
      ) : null}

      <Section title="Keys" actions={toolbar}>
        {!list.data || list.isError ? (
          <FirstLoad query={list} label="Loading signing keys…" />
        ) : (
          <>
            {canManage ? (
              <p id={rotateHintId} className="text-xs text-slate-500" data-testid="keys-rotate-hint">
                {next ? (
                  <>
                    Key <Kid kid={next.kid} /> is already staged as next, so Rotate is unavailable: promote it (or let it be promoted
                    automatically) before staging another key.
                  </>
                ) : (
                  <>No key is staged. Rotate stages a new next key; Promote becomes available once one exists.</>
                )}
              </p>
            ) : null}
            {keys.length === 0 ? (
              <p className={`text-sm text-slate-600 ${canManage ? "mt-4" : ""}`} data-testid="keys-empty">
                This tenant has no signing keys yet.
              </p>
            ) : (
              <div className={canManage ? "mt-4" : undefined}>
                <KeysTable keys={keys} canManage={canManage && !locked} onRevoke={(key) => open({ kind: "revoke", key })} />
              </div>
            )}
          </>
        )}
      </Section>

      {list.data ? <JwksInfo tenant={tenant} issuer={list.data.issuer} jwksUri={list.data.jwksUri} cacheMinutes={cacheMinutes} /> : null}

      {canManage && list.data ? (
        <Section title="Emergency rotation">
          <div className="flex flex-wrap items-center justify-between gap-4">
            <p className="max-w-2xl text-sm text-slate-600">
              If the current key may be compromised, replace and revoke it in one step. Every token it signed stops verifying.
            </p>
            <Button variant="danger" onClick={() => open({ kind: "rotateAndRevoke", current })} {...lockedButtonProps(locked)} data-testid="keys-rotate-revoke">
              Rotate and revoke
            </Button>
          </div>
        </Section>
      ) : null}

      <ConfirmDialog
        open={action !== null}
        title={action ? TITLES[action.kind] : ""}
        confirmLabel={action ? CONFIRM_LABELS[action.kind] : "Confirm"}
        // Staging and promoting lose nothing: only revoking is destructive (red).
        tone={action?.kind === "stage" || action?.kind === "promote" ? "primary" : "danger"}
        pending={active?.isPending ?? false}
        onCancel={() => setAction(null)}
        onConfirm={confirm}
      >
        {action?.kind === "stage" ? (
          <>
            <p>
              A new key is published in the JWKS now but signs nothing until promoted; verifiers have time to fetch it (they cache
              the JWKS for up to {cacheMinutes} minutes). It is promoted automatically after {list.data?.autoPromoteAfterHours}{" "}
              hours. Tokens already issued are not affected.
            </p>
            <AlgorithmFields idPrefix="stage" algorithms={algorithms} rsaSizes={rsaSizes} value={choice} onChange={setChoice} disabled={stage.isPending} invalid={stage.isError ? invalidFields(stage.error) : undefined} />
          </>
        ) : null}

        {action?.kind === "promote" ? (
          <>
            <p>
              New tokens are signed with key <Kid kid={action.next.kid} /> ({action.next.alg}).{" "}
              {action.current ? (
                <>
                  Tokens signed by the current key <Kid kid={action.current.kid} /> keep verifying: it becomes previous until you
                  revoke it.
                </>
              ) : (
                <>There is no current key to retire.</>
              )}
            </p>
            {action.stagedRecently ? (
              <Notice tone="warning" testId="promote-recent">
                This key was staged less than {cacheMinutes} minutes ago. Verifiers that cached the JWKS before then may reject
                tokens signed with it until they refresh.
              </Notice>
            ) : null}
          </>
        ) : null}

        {action?.kind === "revoke" ? (
          <p>
            Tokens signed with key <Kid kid={action.key.kid} /> stop verifying as soon as verifiers refresh the JWKS (within{" "}
            {cacheMinutes} minutes). Users and services still holding such tokens will have to obtain new ones. Revocation cannot be
            undone.
          </p>
        ) : null}

        {action?.kind === "rotateAndRevoke" ? (
          <>
            <p>
              <strong className="font-medium text-red-700">Emergency:</strong> a new key signs from now on and the current key
              {action.current ? (
                <>
                  {" "}
                  <Kid kid={action.current.kid} />
                </>
              ) : null}{" "}
              is revoked at once; every token it signed stops verifying — users and services will have to obtain new tokens.
            </p>
            <p>
              Verifiers that cached the JWKS keep trusting the old key, and do not know the new one, until they refresh it (within{" "}
              {cacheMinutes} minutes). A staged next key and previous keys are left as they are.
            </p>
            <AlgorithmFields
              idPrefix="emergency"
              algorithms={algorithms}
              rsaSizes={rsaSizes}
              value={choice}
              onChange={setChoice}
              disabled={rotateAndRevoke.isPending}
              invalid={rotateAndRevoke.isError ? invalidFields(rotateAndRevoke.error) : undefined}
            />
          </>
        ) : null}

        {active?.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(active.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
