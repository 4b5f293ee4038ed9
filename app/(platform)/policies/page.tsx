import type { Metadata } from "next";
import { PlatformPage } from "../../_lib/platform-page";
import { GlobalPolicies } from "./global-policies";

export const metadata: Metadata = { title: "Global policy defaults" };

/** Security admins: the defaults every tenant inherits (platform.policies.manage). */
export default function GlobalPoliciesPage() {
  return (
    <PlatformPage
      title="Global policy defaults"
      intro={
        <>
          The values every tenant inherits unless it overrides them. Values not set here are the built-in defaults. Changes apply to every
          inheriting tenant at once; each save is a new version with a comment.
        </>
      }
    >
      <GlobalPolicies />
    </PlatformPage>
  );
}
