"use client";
// New password + confirmation. The server checks length and strength (zxcvbn) and says why a
// password is refused; here only the two entries must match.
import { Field, TextInput } from "./ui/field";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/server/isomorphic/accounts/inputs";

export const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong password; no special characters needed.`;

export function NewPasswordFields({ invalid }: { invalid?: boolean }) {
  return (
    <>
      <Field id="new-password" label="New password" hint={PASSWORD_HINT}>
        <TextInput id="new-password" name="password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} maxLength={MAX_PASSWORD_LENGTH} aria-describedby="new-password-hint" aria-invalid={invalid || undefined} />
      </Field>
      <Field id="confirm-password" label="Repeat the new password">
        <TextInput id="confirm-password" name="confirm" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD_LENGTH} maxLength={MAX_PASSWORD_LENGTH} />
      </Field>
    </>
  );
}

/** The two entries from a form, or a message when they differ. */
export function readNewPassword(form: FormData): { password: string } | { error: string } {
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? "")) return { error: "The two passwords differ. Type the same password twice." };
  return { password };
}
