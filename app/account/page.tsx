import type { Metadata } from "next";
import Link from "next/link";
import { AppHeader } from "@/components/app-header";
import { RoleBadge } from "@/components/role-badge";
import { Section } from "@/components/ui/card";
import { serverCaller } from "@/server/api/server-caller";
import { load } from "../_lib/page-errors";
import { NameForm } from "./name-form";
import { ChangePasswordForm } from "./change-password-form";
import { RelativeTime } from "@/components/time";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const profile = await load(async () => (await serverCaller()).account.profile(), "/account");
  const isAdmin = profile.platformRole === "security_admin";
  return (
    <>
      <AppHeader email={profile.email} badge={isAdmin ? <RoleBadge role="security_admin" testId="role-badge" /> : null} />
      <main className="mx-auto w-full max-w-3xl space-y-6 px-4 py-8 sm:px-6">
        <div>
          <p className="text-sm">
            <Link href="/tenants" className="text-indigo-700 hover:underline">
              ← Tenants
            </Link>
          </p>
          <h1 className="mt-2 text-2xl font-semibold text-slate-900">Your account</h1>
          <p className="mt-1 text-sm text-slate-600">
            Signed in as <span data-testid="account-email">{profile.email}</span>. Your e-mail address is your sign-in; a security admin can change it.
          </p>
        </div>
        <Section title="Name">
          <NameForm initialName={profile.name} />
        </Section>
        <Section title="Password">
          {profile.hasPassword ? (
            <>
              {profile.passwordChangedAt ? (
                <p className="mb-4 text-sm text-slate-600">
                  Last changed <RelativeTime at={profile.passwordChangedAt} />.
                </p>
              ) : null}
              <ChangePasswordForm />
            </>
          ) : (
            <p className="text-sm text-slate-600">
              Your account has no password (single sign-on, or a reset is pending). <Link href="/reset-password" className="text-indigo-700 underline hover:text-indigo-900">Request a reset link</Link> to set one.
            </p>
          )}
        </Section>
        <Section title="Sessions">
          <p className="text-sm text-slate-600">
            See where you are signed in and sign out other browsers on the{" "}
            <Link href="/account/sessions" className="font-medium text-indigo-700 hover:underline">
              sessions page
            </Link>
            .
          </p>
        </Section>
      </main>
    </>
  );
}
