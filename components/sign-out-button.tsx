// Server component: a form posting a server action, so signing out works without client JS.
import { signOut } from "@/server/auth/auth";
import { Button } from "./ui/button";

export function SignOutButton() {
  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/signin" });
  }
  return (
    <form action={signOutAction}>
      <Button type="submit" variant="secondary" className="py-1.5">
        Sign out
      </Button>
    </form>
  );
}
