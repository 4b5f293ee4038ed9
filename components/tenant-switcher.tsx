"use client";
// Jumps to another tenant: a native <select>, so keyboard and screen readers work as usual. The
// section stays (/t/acme/keys → /t/globex/keys); a paused tenant or one pending deletion says so.
import { usePathname, useRouter } from "next/navigation";
import { useId } from "react";
import { inputClasses } from "./ui/field";

export interface SwitcherTenant {
  slug: string;
  name: string;
  status?: string;
  paused?: boolean;
}

/** The section of a tenant path ("/t/acme/keys/x" → "/keys"); only the first level exists in every tenant. */
export function sectionOf(pathname: string | null): string {
  const section = pathname?.split("/")[3];
  return section ? `/${section}` : "";
}

function marker(t: SwitcherTenant): string {
  if (t.status === "pending_deletion") return " — pending deletion";
  if (t.paused) return " — paused";
  return "";
}

export function TenantSwitcher({ current, tenants }: { current: string; tenants: SwitcherTenant[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Switch tenant
      </label>
      <select
        id={id}
        value={current}
        onChange={(e) => {
          if (e.target.value && e.target.value !== current) router.push(`/t/${encodeURIComponent(e.target.value)}${sectionOf(pathname)}`);
        }}
        className={`${inputClasses} w-auto max-w-72 py-1.5`}
        data-testid="tenant-switcher"
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.slug}){marker(t)}
          </option>
        ))}
      </select>
    </div>
  );
}
