import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme/theme-toggle";

/** Top bar: product name (to the tenant list), an optional middle slot, the operator and sign-out. */
export function AppHeader({ email, badge, children }: { email: string; badge?: ReactNode; children?: ReactNode }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/tenants" className="flex items-center gap-2 rounded text-base font-semibold text-slate-900">
          <span aria-hidden="true" className="inline-flex h-7 w-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white">
            C
          </span>
          Credo Console
        </Link>
        <div className="flex min-w-0 flex-1 items-center">{children}</div>
        <div className="flex flex-wrap items-center gap-3">
          {badge}
          <Link href="/account" className="max-w-64 truncate rounded text-sm text-slate-600 hover:text-slate-900 hover:underline" title={`${email}: your account`} data-testid="user-email">
            {email}
          </Link>
          <Link href="/account/security" className="text-sm text-indigo-700 hover:underline" data-testid="security-link">
            Sign-in security
          </Link>
          <Link href="/account/sessions" className="text-sm text-indigo-700 hover:underline" data-testid="sessions-link">
            Sessions
          </Link>
          <ThemeToggle />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
