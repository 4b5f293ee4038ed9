"use server";
import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/server/auth/auth";
import { startSsoSignIn } from "@/server/auth/sso/start";
import { requestMetaFrom } from "@/server/http/request-meta";
import { safeCallbackUrl } from "./callback-url";

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInWithPassword(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  if (!email || !password) return { error: "Enter your e-mail and password.", email };
  try {
    // On success this throws Next's redirect, which must propagate (rethrown below).
    await signIn("credentials", { email, password, redirectTo });
    return { error: null, email };
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.type === "CredentialsSignin") {
        if ((error as AuthError & { code?: string }).code === "throttled") {
          return { error: "Too many failed attempts. Try again in a few minutes.", email };
        }
        // The same message for an unknown user and a wrong password.
        return { error: "Invalid e-mail or password.", email };
      }
      return { error: "Sign-in failed. Try again.", email };
    }
    throw error;
  }
}

export async function signInWithSso(formData: FormData): Promise<void> {
  const redirectTo = safeCallbackUrl(formData.get("callbackUrl"));
  const meta = requestMetaFrom(await headers());
  // To the provider, or back to /signin with a message when it cannot be reached (audited).
  redirect(await startSsoSignIn(meta, () => signIn("oidc", { redirectTo, redirect: false })));
}
