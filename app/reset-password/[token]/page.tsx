import type { Metadata } from "next";
import { PublicFrame } from "@/components/public-frame";
import { ChooseNewPasswordForm } from "./choose-new-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

export default async function ChooseNewPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <PublicFrame title="Choose a new password" intro="Afterwards every session of your account is signed out.">
      <ChooseNewPasswordForm token={token} />
    </PublicFrame>
  );
}
