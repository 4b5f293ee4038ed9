"use client";
// Jumps to another tenant: a native <select>, so keyboard and screen readers work as usual.
import { useRouter } from "next/navigation";
import { useId } from "react";
import { inputClasses } from "./ui/field";

export interface SwitcherTenant {
  slug: string;
  name: string;
}

export function TenantSwitcher({ current, tenants }: { current: string; tenants: SwitcherTenant[] }) {
  const router = useRouter();
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
          if (e.target.value && e.target.value !== current) router.push(`/t/${encodeURIComponent(e.target.value)}`);
        }}
        className={`${inputClasses} w-auto max-w-72 py-1.5`}
      >
        {tenants.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name} ({t.slug})
          </option>
        ))}
      </select>
    </div>
  );
}
