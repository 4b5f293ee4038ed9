"use client";
// The one and only showing of a client secret: after registering a confidential client, and after
// a rotation. Mounted only while there is a secret to show; "Done" unmounts it and the parent drops it.
import type { ReactNode } from "react";
import { CopyField, ShowOnceDialog } from "@/components/show-once-dialog";
import { Notice } from "@/components/ui/notice";

export interface RevealedSecret {
  title: string;
  clientName: string;
  clientId: string;
  secret: string;
  /** What happened, e.g. "was registered" — and what happens to an older secret. */
  summary: ReactNode;
}

export function ClientSecretDialog({ revealed, onDone }: { revealed: RevealedSecret; onDone: () => void }) {
  return (
    <ShowOnceDialog
      title={revealed.title}
      testId="client-secret-dialog"
      doneTestId="client-secret-done"
      onDone={onDone}
      description={
        <>
          <p>
            The client <strong className="font-medium text-slate-900">{revealed.clientName}</strong> {revealed.summary}
          </p>
          <Notice tone="warning" testId="client-secret-warning">
            <strong className="font-semibold">This is the only time the secret is shown. Store it in your secret manager now.</strong>{" "}
            If it is lost, rotate the secret to get a new one.
          </Notice>
        </>
      }
    >
      <CopyField label="Client ID" value={revealed.clientId} what="client ID" testId="client-id-value" copyTestId="client-id-copy" statusTestId="client-id-copy-status" />
      <CopyField
        label="Client secret"
        value={revealed.secret}
        what="secret"
        testId="client-secret-value"
        copyTestId="client-secret-copy"
        statusTestId="client-secret-copy-status"
      />
      <p className="text-xs text-slate-500">
        The application proves itself with the client ID and this secret; keep the secret on the server side only.
      </p>
    </ShowOnceDialog>
  );
}
