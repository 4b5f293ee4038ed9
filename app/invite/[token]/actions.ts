"use server";
// Accepting an invitation as a new person: create the account (through the same tRPC procedure as
// the API), then sign in with the password just chosen.
import { AuthError } from "next-auth";
import { signIn } from "@/server/auth/auth";
import { refusalOf, serverCaller } from "@/server/api/server-caller";

export interface AcceptState {
  error: string | null;
  name: string;
}

export async function acceptAsNewPerson(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const token = String(form.get("token") ?? "");
  const name = String(form.get("name") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? "")) return { error: "The two passwords differ. Type the same password twice.", name };
  let destination = "/tenants";
  let email: string;
  try {
    const r = await (await serverCaller()).account.acceptInvitation({ token, name, password });
    email = r.email;
    if (r.tenant) destination = `/t/${encodeURIComponent(r.tenant.slug)}`;
  } catch (e) {
    const refusal = refusalOf(e);
    if (refusal) return { error: refusal.message, name };
    throw e;
  }
  try {
    await signIn("credentials", { email, password, redirectTo: destination });
  } catch (e) {
    if (e instanceof AuthError) return { error: "Your account is ready, but signing in failed. Sign in with your new password.", name };
    throw e; // Next's redirect on success
  }
  return { error: null, name };
}
