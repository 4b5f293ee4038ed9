import type { Metadata } from "next";
import { PlatformPage } from "../../_lib/platform-page";
import { UsersPanel } from "./users-panel";
import { PlatformInvitations } from "./platform-invitations";

export const metadata: Metadata = { title: "Users" };

/** Security admins: every console account, the account actions, and platform invitations. */
export default function UsersPage() {
  return (
    <PlatformPage
      title="Users"
      intro="Everyone who can sign in to the console. Suspending an account, forcing a password reset or revoking sessions ends its sessions at once; each action is recorded in the platform audit trail with your reason."
    >
      <PlatformInvitations />
      <UsersPanel />
    </PlatformPage>
  );
}
