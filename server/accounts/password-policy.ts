// New passwords: at least 12 characters and not guessable (zxcvbn score ≥ 3, with the person's own
// e-mail and name as known words). No composition rules (NIST SP 800-63B).
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { z } from "zod";
import { UserError } from "../errors";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
const MIN_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

export const newPasswordInput = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

/** Throws a UserError saying why the password is too easy to guess. */
export function assertStrongPassword(password: string, personal: readonly string[]): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError("BAD_REQUEST", `Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  const inputs = personal.flatMap((p) => [p, ...p.split(/[@.\s_-]+/)]).filter((p) => p.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score < MIN_SCORE) {
    const hint = result.feedback.warning || result.feedback.suggestions[0] || "";
    throw new UserError("BAD_REQUEST", `This password is too easy to guess.${hint ? ` ${hint}` : ""} A few unrelated words make a strong one.`);
  }
}
