"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PasskeyEnrolment } from "@/components/mfa/passkey-enrolment";
import { RecoveryCodesDialog } from "@/components/mfa/recovery-codes-dialog";
import { TotpEnrolment } from "@/components/mfa/totp-enrolment";

export function EnrolFlow({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);
  const done = () => {
    router.replace(callbackUrl);
    router.refresh();
  };
  const enrolled = (recoveryCodes: string[] | null) => (recoveryCodes ? setCodes(recoveryCodes) : done());
  return (
    <div className="space-y-6">
      <section aria-labelledby="enrol-totp" className="space-y-2">
        <h2 id="enrol-totp" className="text-sm font-semibold text-slate-900">
          Authenticator app
        </h2>
        <TotpEnrolment onEnrolled={enrolled} />
      </section>
      <section aria-labelledby="enrol-passkey" className="space-y-2 border-t border-slate-200 pt-4">
        <h2 id="enrol-passkey" className="text-sm font-semibold text-slate-900">
          Passkey
        </h2>
        <PasskeyEnrolment onEnrolled={enrolled} />
      </section>
      {codes ? <RecoveryCodesDialog codes={codes} onDone={done} /> : null}
    </div>
  );
}
