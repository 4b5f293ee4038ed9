"use client";
// The tenant's regulated mode (FAPI-style rules for every client), shown on the Clients page; those
// with policies.manage may turn it on, after a confirmation saying what changes. Turning it off is a
// security admin's decision (a compliance control) and takes a reason for the audit trail.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/error-message";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export const REGULATED_MODE_RULES =
  "Regulated mode: https-only redirect URIs, no localhost, no private-use schemes, PKCE required for every client. Existing clients that break these rules stop matching at authorization until fixed.";

export function RegulatedMode({
  tenant,
  regulated,
  canManage,
  canTurnOff,
}: {
  tenant: string;
  regulated: boolean;
  canManage: boolean;
  /** Security admins only. */
  canTurnOff: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const reasonId = useId();

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
      {canManage && regulated && !canTurnOff ? (
        <p className="text-xs text-slate-600" data-testid="regulated-mode-off-note">
          Only a platform security admin can turn regulated mode off.
        </p>
      ) : null}
      {canManage && (!regulated || canTurnOff) ? (
        <Button
          variant="secondary"
          className="py-1 text-xs"
          onClick={() => {
            set.reset();
            setReason("");
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
        onConfirm={() => set.mutate(regulated ? { tenant, regulatedMode: false, reason } : { tenant, regulatedMode: true })}
      >
        {regulated ? (
          <>
            <p>
              The standard OAuth 2.1 rules apply again: native apps may use loopback (http://127.0.0.1) and private-use scheme
              redirect URIs, and PKCE is enforced for public clients only.
            </p>
            <p>Clients registered since regulated mode was turned on keep working.</p>
            <div className="space-y-1">
              <label htmlFor={reasonId} className="block font-medium text-slate-900">
                Reason (recorded in the tenant&apos;s audit trail)
              </label>
              <textarea
                id={reasonId}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={400}
                rows={2}
                required
                className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                data-testid="regulated-mode-reason"
              />
            </div>
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
