import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/sign-out-button";
import { ENROL_PATH } from "@/server/isomorphic/auth/second-factor";
import { loadSecondFactorState } from "../../_lib/second-factor";
import { safeCallbackUrl } from "../callback-url";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Confirm it's you" };

export default async function VerifyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  const callbackUrl = safeCallbackUrl(raw);
  const mine = await loadSecondFactorState(`/signin/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (mine.state === "enrol") redirect(`${ENROL_PATH}?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (mine.state === "satisfied") redirect(callbackUrl);

  const methods = {
    totp: mine.factors.some((f) => f.kind === "totp"),
    passkey: mine.factors.some((f) => f.kind === "passkey"),
    recovery: mine.recoveryCodesLeft > 0,
    password: false,
  };
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold text-slate-900">Confirm it&apos;s you</h1>
          <p className="mt-1 text-sm text-slate-600">Your account is protected by a second factor. Use it to finish signing in.</p>
        </div>
        <Card className="p-6">
          <VerifyForm methods={methods} callbackUrl={callbackUrl} />
        </Card>
        <div className="mt-4 flex justify-center">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
