"use client";
// A form whose submit runs a client-side mutation. Until React has hydrated every control inside is
// disabled (one <fieldset disabled>): typing into the server-rendered field would be lost to the form
// state that hydration creates, and a click would fall back to a native GET submit that puts the
// fields in the URL.
import type { ComponentProps } from "react";
import { useHydrated } from "@/components/use-hydrated";
import { cn } from "@/components/ui/utils";

export function ClientForm({ className, children, ...form }: ComponentProps<"form">) {
  const hydrated = useHydrated();
  return (
    <form {...form}>
      <fieldset disabled={!hydrated} className={cn("min-w-0", className)}>
        {children}
      </fieldset>
    </form>
  );
}
