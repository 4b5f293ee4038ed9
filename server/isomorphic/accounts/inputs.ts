// Request schemas of accounts and invitations that forms share with the procedures (zod only, no
// server imports, so the browser may load them).
import { z } from "zod";

/** Longest support grant an invitation may carry (days from acceptance). */
export const MAX_SUPPORT_GRANT_DAYS = 90;

export const emailInput = z.string().trim().toLowerCase().email("Enter a valid e-mail address.").max(320, "An e-mail address has at most 320 characters.");

export const inviteMemberInput = z
  .object({
    email: emailInput,
    role: z.enum(["owner", "support"], { message: "Choose owner or support." }),
    /** Support grants only: how many days the grant lasts once accepted. */
    days: z.number().int().min(1, "A grant lasts at least 1 day.").max(MAX_SUPPORT_GRANT_DAYS, `A support grant lasts at most ${MAX_SUPPORT_GRANT_DAYS} days.`).optional(),
  })
  .refine((v) => v.role !== "support" || v.days !== undefined, { message: "A support grant needs a duration in days.", path: ["days"] })
  .refine((v) => v.role !== "owner" || v.days === undefined, { message: "Owners do not expire; leave the duration empty.", path: ["days"] });

/** Longest display name of a person. */
export const MAX_PERSON_NAME_LENGTH = 200;

export const updateNameInput = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(MAX_PERSON_NAME_LENGTH, `A name has at most ${MAX_PERSON_NAME_LENGTH} characters.`),
});

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** A new password's shape; its strength (zxcvbn) is checked by the service, which names the field. */
export const newPasswordInput = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: newPasswordInput,
});
