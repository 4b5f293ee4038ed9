import type { Metadata } from "next";
import Link from "next/link";
import { refusalOf, serverCaller } from "@/server/api/server-caller";
import { PublicFrame } from "@/components/public-frame";
import { Notice } from "@/components/ui/notice";
import { buttonClasses } from "@/components/ui/button";
import { SignOutButton } from "@/components/sign-out-button";
import { getProfileOrNull } from "../../_lib/operator";
import { signInPath } from "../../_lib/page-errors";
import { AcceptSignedIn } from "./accept-signed-in";
import { NewPersonForm } from "./new-person-form";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

const ROLE_WORDS: Record<string, string> = {
  owner: "owner",
  support: "support (read-only)",
  security_admin: "security admin",
  operator: "operator",
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let info;
  try {
    info = await (await serverCaller()).account.invitation({ token });
  } catch (e) {
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    return (
      <PublicFrame title="Invitation">
        <Notice tone="warning" testId="invitation-invalid">
          {refusal.message}
        </Notice>
      </PublicFrame>
    );
  }
  const profile = await getProfileOrNull();
  const what =
    info.target === "tenant"
      ? `${info.tenantName} as ${ROLE_WORDS[info.role]}${info.supportDays ? ` for ${info.supportDays} days` : ""}`
      : `Credo Console${info.role === "security_admin" ? " as security admin" : ""}`;
  const path = `/invite/${encodeURIComponent(token)}`;

  return (
    <PublicFrame title="You are invited" intro={<>To {what}.</>}>
      {!info.hasAccount ? (
        <NewPersonForm token={token} email={info.email} />
      ) : profile && profile.email === info.email ? (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            Signed in as <strong className="font-medium">{profile.email}</strong>.
          </p>
          <AcceptSignedIn token={token} />
        </div>
      ) : profile ? (
        <div className="space-y-4">
          <Notice tone="warning" testId="wrong-account">
            This invitation is for {info.email}, but you are signed in as {profile.email}. Sign out, then open the link again.
          </Notice>
          <SignOutButton />
        </div>
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-slate-700">
            {info.email} already has a Credo Console account. Sign in, then accept the invitation.
          </p>
          <Link href={signInPath(path)} className={buttonClasses("primary", "w-full")}>
            Sign in to accept
          </Link>
        </div>
      )}
    </PublicFrame>
  );
}
