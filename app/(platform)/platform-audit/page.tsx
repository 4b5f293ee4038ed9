import type { Metadata } from "next";
import Link from "next/link";
import { PlatformPage } from "../../_lib/platform-page";
import { PlatformStream } from "./platform-stream";

export const metadata: Metadata = { title: "Platform audit stream" };

/** Security admins: sign-ins, sessions, account events, global policy changes and tenant deletions. */
export default function PlatformAuditStreamPage() {
  return (
    <PlatformPage
      title="Platform audit stream"
      intro={
        <>
          Events that belong to no single tenant, newest first: sign-ins and refusals, sessions, accounts, global policy changes, and the record of
          tenant deletions, which outlives the purge. Hash-chained and checked against signed checkpoints. For events inside tenants, see the{" "}
          <Link href="/audit" className="text-indigo-700 underline hover:text-indigo-900">
            audit trail across tenants
          </Link>
          .
        </>
      }
    >
      <PlatformStream />
    </PlatformPage>
  );
}
