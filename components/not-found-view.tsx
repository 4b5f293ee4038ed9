import Link from "next/link";
import { buttonClasses } from "./ui/button";

/** One page for a missing tenant, a tenant you may not open, and any unknown path: no oracle. */
export function NotFoundView() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4 py-16">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">404</p>
        <h1 className="mt-2 text-2xl font-semibold text-slate-900">Not found</h1>
        <p className="mt-3 text-slate-600">This page does not exist, or you do not have access to it.</p>
        <Link href="/tenants" className={buttonClasses("primary", "mt-6")}>
          Back to tenants
        </Link>
      </div>
    </main>
  );
}
