"use client";
// Unexpected failures: a generic message (details stay in the server log) and a retry.
import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import Link from "next/link";
import { Button, buttonClasses } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4 py-16">
      <div className="max-w-md text-center">
        <h1 className="text-2xl font-semibold text-slate-900">Something went wrong</h1>
        <p className="mt-3 text-slate-600">
          The console could not load this page. Try again; if it keeps failing, contact your platform team
          {error.digest ? (
            <>
              {" "}
              and mention reference <code className="font-mono text-sm">{error.digest}</code>
            </>
          ) : null}
          .
        </p>
        <div className="mt-6 flex justify-center gap-3">
          <Button
            onClick={() =>
              startTransition(() => {
                router.refresh();
                reset();
              })
            }
          >
            Try again
          </Button>
          <Link href="/tenants" className={buttonClasses("secondary")}>
            Back to tenants
          </Link>
        </div>
      </div>
    </main>
  );
}
