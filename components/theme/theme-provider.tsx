"use client";
// next-themes: the class on <html> follows the system unless the user picked light or dark (kept in
// localStorage). Its no-flash inline script carries the request's CSP nonce (see app/layout.tsx).
import { ThemeProvider as NextThemesProvider } from "next-themes";
import type { ReactNode } from "react";

export function ThemeProvider({ nonce, children }: { nonce?: string; children: ReactNode }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </NextThemesProvider>
  );
}
