"use client";
import { CopyField, ShowOnceDialog } from "../show-once-dialog";

/** The one showing of new recovery codes. */
export function RecoveryCodesDialog({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <ShowOnceDialog
      title="Save your recovery codes"
      testId="recovery-codes-dialog"
      doneTestId="recovery-codes-done"
      onDone={onDone}
      description={
        <>
          <p>
            If you lose your authenticator or passkey, each of these codes signs you in once. Store them somewhere safe, away from
            your phone. <strong>They are shown only now.</strong>
          </p>
        </>
      }
    >
      <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c} className="rounded border border-slate-200 bg-slate-50 px-2 py-1 text-center">
            {c}
          </li>
        ))}
      </ul>
      <CopyField label="All codes" value={codes.join("\n")} what="codes" />
    </ShowOnceDialog>
  );
}
