// The heading of a security admins' platform page (app/(platform)/: /audit, /platform-audit,
// /policies, /deletions, /users, /outbox): a way back to the tenant list, title and explanation.
// Who may see the page is decided once, by the group's layout (app/(platform)/layout.tsx).
import type { ReactNode } from "react";
import Link from "next/link";

export function PlatformPage({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <>
      <div>
        <p className="text-sm">
          <Link href="/tenants" className="text-indigo-700 hover:underline">
            ← Tenants
          </Link>
        </p>
        <h1 className="mt-2 text-2xl font-semibold text-slate-900">{title}</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{intro}</p>
      </div>
      {children}
    </>
  );
}
