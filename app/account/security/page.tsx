import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { getProfile } from "../../_lib/operator";
import { load } from "../../_lib/page-errors";
import { SecurityPanel } from "./security-panel";

export const metadata: Metadata = { title: "Sign-in security" };

export default async function SecurityPage() {
  const profile = await load(getProfile, "/account/security");
  return (
    <>
      <AppHeader email={profile.email} />
      <main className="mx-auto w-full max-w-4xl space-y-6 px-4 py-8 sm:px-6">
        <div>
          <p className="text-sm">
            <Link href="/tenants" className="text-indigo-700 hover:underline">
              ← Tenants
            </Link>
          </p>
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Sign-in security</h1>
          <p className="mt-1 text-sm text-slate-600">Your second factors: an authenticator app, passkeys, and recovery codes for when you lose them.</p>
        </div>
        <SecurityPanel />
      </main>
    </>
  );
}
