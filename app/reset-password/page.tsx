import type { Metadata } from "next";
import Link from "next/link";
import { PublicFrame } from "@/components/public-frame";
import { RequestResetForm } from "./request-reset-form";

export const metadata: Metadata = { title: "Reset password" };

export default function ResetPasswordPage() {
  return (
    <PublicFrame title="Reset your password" intro="We will e-mail you a link to choose a new password.">
      <RequestResetForm />
      <p className="mt-4 text-center text-sm">
        <Link href="/signin" className="text-indigo-700 hover:underline">
          Back to sign in
        </Link>
      </p>
    </PublicFrame>
  );
}
