import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { getProfile } from "../../_lib/operator";
import { load } from "../../_lib/page-errors";
import { SessionsPanel } from "./sessions-panel";

export const metadata: Metadata = { title: "Sessions" };

/** Every browser signed in to the console as you; revoke one, or all others. */
export default async function SessionsPage() {
  const profile = await load(getProfile, "/account/sessions");
  return (
    <>
      <AppHeader email={profile.email} />
      <main className="mx-auto w-full max-w-7xl space-y-6 px-4 py-8 sm:px-6">
        <div>
          <p className="text-sm">
            <Link href="/tenants" className="text-indigo-700 hover:underline">
              ← Tenants
            </Link>
          </p>
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Sessions</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            Every browser signed in to the console as you. A session ends after a period without activity, at the end of its lifetime, when you sign out,
            or when you revoke it here. Sessions that ended in the last 7 days are listed too.
          </p>
        </div>
        <SessionsPanel />
      </main>
    </>
  );
}
