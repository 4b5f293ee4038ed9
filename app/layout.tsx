import type { Metadata } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { connection } from "next/server";
import { SkipLink } from "@/components/skip-link";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { TRPCReactProvider } from "@/components/trpc/client";
import { Toaster } from "@/components/ui/sonner";
import { TooltipProvider } from "@/components/ui/tooltip";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Credo Console", template: "%s · Credo Console" },
  description: "Admin console for multi-tenant identity operations",
  // The icons live in public/ (served as-is): the SVG for browsers that take it, the ICO for /favicon.ico.
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }] },
};

/** The nonce proxy.ts put in this request's CSP: next-themes' inline script needs it to run. */
async function cspNonce(): Promise<string | undefined> {
  const csp = (await headers()).get("content-security-policy") ?? "";
  return /'nonce-([^']+)'/.exec(csp)?.[1];
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its inline scripts need that request's CSP nonce (proxy.ts).
  await connection();
  const nonce = await cspNonce();
  return (
    // next-themes sets class/color-scheme on <html> before hydration: that difference is expected.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <ThemeProvider nonce={nonce}>
          <SkipLink />
          <TooltipProvider delayDuration={300}>
            <TRPCReactProvider>{children}</TRPCReactProvider>
          </TooltipProvider>
          <Toaster position="bottom-right" closeButton />
        </ThemeProvider>
      </body>
    </html>
  );
}
