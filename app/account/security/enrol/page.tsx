import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { SignOutButton } from "@/components/sign-out-button";
import { VERIFY_PATH } from "@/server/isomorphic/auth/second-factor";
import { loadSecondFactorState } from "../../../_lib/second-factor";
import { safeCallbackUrl } from "../../../signin/callback-url";
import { EnrolFlow } from "./enrol-flow";

export const metadata: Metadata = { title: "Set up a second factor" };

export default async function EnrolPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const raw = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  const callbackUrl = safeCallbackUrl(raw);
  const mine = await loadSecondFactorState(`/account/security/enrol?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (mine.state === "verify") redirect(`${VERIFY_PATH}?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (mine.factors.length > 0) redirect(callbackUrl);

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold text-slate-900">Set up a second factor</h1>
          <p className="mt-1 text-sm text-slate-600">
            {mine.required
              ? "Your role requires a second factor before you can use the console. Set up an authenticator app or a passkey."
              : "Protect your account with an authenticator app or a passkey."}
          </p>
        </div>
        <Card className="p-6">
          <EnrolFlow callbackUrl={callbackUrl} />
        </Card>
        <div className="mt-4 flex justify-center">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
