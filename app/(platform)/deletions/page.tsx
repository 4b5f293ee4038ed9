import type { Metadata } from "next";
import { PlatformPage } from "../../_lib/platform-page";
import { DeletionsPanel } from "./deletions-panel";

export const metadata: Metadata = { title: "Tenant deletions" };

/** Security admins: every tenant deletion, purge progress, grace shortening, receipts. */
export default function DeletionsPage() {
  return (
    <PlatformPage
      title="Tenant deletions"
      intro={
        <>
          Deletions in their grace period, purges in progress (refreshed every few seconds) and completed deletions with their signed receipts
          (verify one with <code>npm run receipt:verify -- receipt.json</code>).
        </>
      }
    >
      <DeletionsPanel />
    </PlatformPage>
  );
}
