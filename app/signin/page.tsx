import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { env, oidcConfigured } from "@/server/env";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ssoErrorMessage } from "@/server/isomorphic/auth/sso-errors";
import { getProfileOrNull } from "../_lib/operator";
import { signInWithSso } from "./actions";
import { safeCallbackUrl } from "./callback-url";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

/** Errors Auth.js reports by redirecting here with ?error=… (pages.error is /signin). */
function authErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  if (code === "CredentialsSignin") return "Invalid e-mail or password.";
  if (code === "AccessDenied") return "This account may not sign in to the console.";
  const sso = ssoErrorMessage(code);
  if (sso) return sso;
  return "Sign-in was not completed. Try again.";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeCallbackUrl(first(params.callbackUrl));

  // Only a session of an active operator counts: a suspended user must not bounce between pages.
  if (await getProfileOrNull(callbackUrl)) redirect(callbackUrl);

  const sso = oidcConfigured();
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <span aria-hidden="true" className="inline-flex h-10 w-10 items-center justify-center rounded-lg bg-indigo-600 text-lg font-bold text-white">
            C
          </span>
          <h1 className="mt-3 text-2xl font-semibold text-slate-900">Sign in to Credo Console</h1>
          <p className="mt-1 text-sm text-slate-600">Operators only. Access is logged.</p>
        </div>
        <Card className="p-6">
          <SignInForm callbackUrl={callbackUrl} initialError={authErrorMessage(first(params.error))} />
          <p className="mt-3 text-center text-sm">
            <Link href="/reset-password" className="text-indigo-700 hover:underline">
              Forgot your password?
            </Link>
          </p>
          {sso ? (
            <>
              <div className="my-4 flex items-center gap-3 text-xs uppercase text-slate-500">
                <span className="h-px flex-1 bg-slate-200" />
                or
                <span className="h-px flex-1 bg-slate-200" />
              </div>
              <form action={signInWithSso}>
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <Button type="submit" variant="secondary" className="w-full">
                  Sign in with {env.AUTH_OIDC_NAME}
                </Button>
              </form>
            </>
          ) : null}
        </Card>
      </div>
    </main>
  );
}
