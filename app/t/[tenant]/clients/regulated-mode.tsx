"use client";
// The tenant's regulated mode (FAPI-style rules for every client), shown on the Clients page; those
// with policies.manage may switch it, after a confirmation saying what changes.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export const REGULATED_MODE_RULES =
  "Regulated mode: https-only redirect URIs, no localhost, no private-use schemes, PKCE required for every client. Existing clients that break these rules stop matching at authorization until fixed.";

export function RegulatedMode({ tenant, regulated, canManage }: { tenant: string; regulated: boolean; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);

  const set = useMutation(
    trpc.policies.setRegulatedMode.mutationOptions({
      onSuccess: async () => {
        // Every client view (PKCE) and every URI check depends on it.
        await queryClient.invalidateQueries({ queryKey: trpc.clients.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() });
        setConfirming(false);
      },
    }),
  );

  return (
    <div className="flex flex-wrap items-center gap-3" data-testid="regulated-mode">
      <Badge
        tone={regulated ? "indigo" : "slate"}
        data-testid="regulated-mode-badge"
        data-on={String(regulated)}
        title={regulated ? REGULATED_MODE_RULES : "Standard OAuth 2.1 rules for redirect URIs and PKCE."}
      >
        Regulated mode: {regulated ? "on" : "off"}
      </Badge>
      {canManage ? (
        <Button
          variant="secondary"
          className="py-1 text-xs"
          onClick={() => {
            set.reset();
            setConfirming(true);
          }}
          data-testid="regulated-mode-toggle"
        >
          {regulated ? "Turn off regulated mode" : "Turn on regulated mode"}
        </Button>
      ) : null}

      <ConfirmDialog
        open={confirming}
        title={regulated ? "Turn off regulated mode?" : "Turn on regulated mode?"}
        confirmLabel={regulated ? "Turn off" : "Turn on"}
        pending={set.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => set.mutate({ tenant, regulatedMode: !regulated })}
      >
        {regulated ? (
          <>
            <p>
              The standard OAuth 2.1 rules apply again: native apps may use loopback (http://127.0.0.1) and private-use scheme
              redirect URIs, and PKCE is enforced for public clients only.
            </p>
            <p>Clients registered since regulated mode was turned on keep working.</p>
          </>
        ) : (
          <p>{REGULATED_MODE_RULES}</p>
        )}
        {set.isError ? (
          <Notice tone="error" testId="form-error">
            {errorMessage(set.error)}
          </Notice>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
