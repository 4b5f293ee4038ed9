// New passwords: at least 12 characters and not guessable (zxcvbn score ≥ 3, with the person's own
// e-mail and name as known words). No composition rules (NIST SP 800-63B).
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { AppError } from "../isomorphic/errors";
import { MIN_PASSWORD_LENGTH } from "../isomorphic/accounts/inputs";

// The shape lives in the isomorphic inputs module (forms validate with it too).
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, newPasswordInput } from "../isomorphic/accounts/inputs";
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

/** Throws an AppError saying why the password is too easy to guess; `field` is the input key it names. */
export function assertStrongPassword(password: string, personal: readonly string[], field = "password"): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError("PASSWORD_TOO_SHORT", `Use at least ${MIN_PASSWORD_LENGTH} characters.`, { field });
  const inputs = personal.flatMap((p) => [p, ...p.split(/[@.\s_-]+/)]).filter((p) => p.length >= 3);
  const result = zxcvbn().check(password, inputs);
  if (result.score < MIN_SCORE) {
    const hint = result.feedback.warning || result.feedback.suggestions[0] || "";
    throw new AppError("PASSWORD_TOO_WEAK", `This password is too easy to guess.${hint ? ` ${hint}` : ""} A few unrelated words make a strong one.`, { field });
  }
}
