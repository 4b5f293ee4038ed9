import type { Metadata } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { TRPCReactProvider } from "@/components/trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Credo Console", template: "%s · Credo Console" },
  description: "Admin console for multi-tenant identity operations",
  // The icons live in public/ (served as-is): the SVG for browsers that take it, the ICO for /favicon.ico.
  icons: { icon: [{ url: "/favicon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "32x32" }] },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its inline scripts need that request's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
