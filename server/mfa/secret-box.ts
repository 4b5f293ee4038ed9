// TOTP secrets at rest: AES-256-GCM (server/signing-keys/envelope.ts's seal/open) under a platform key
// derived from the KEK with HKDF-SHA256 (info "credo user-factor secrets v1"), so a KEK rotation
// covers them too (reads accept every configured KEK by id). The AAD binds each ciphertext to its
// row: "user-factor:<user id>:<factor id>" — a sealed secret copied to another user's or factor's
// row fails authentication instead of decrypting.
import "server-only";
import { hkdfSync } from "node:crypto";
import { activeKeyring, KeyEncryptionConfigError, open, seal, type Bytes, type Kek, type Keyring } from "../signing-keys/envelope";

const INFO = "credo user-factor secrets v1";

export interface SealedFactorSecret {
  readonly kekId: string;
  readonly iv: Bytes;
  readonly tag: Bytes;
  readonly ciphertext: Bytes;
}

function factorKey(kek: Kek): Buffer {
  return Buffer.from(hkdfSync("sha256", kek.key, Buffer.alloc(0), INFO, 32));
}

const aadOf = (userId: string, factorId: string) => `user-factor:${userId}:${factorId}`;

export function sealFactorSecret(userId: string, factorId: string, secret: string, keyring: Keyring = activeKeyring()): SealedFactorSecret {
  const sealed = seal(factorKey(keyring.current), Buffer.from(secret, "utf8"), aadOf(userId, factorId));
  return { kekId: keyring.current.id, ...sealed };
}

export function openFactorSecret(userId: string, factorId: string, sealed: SealedFactorSecret, keyring: Keyring = activeKeyring()): string {
  const kek = keyring.known.get(sealed.kekId);
  if (!kek) {
    throw new KeyEncryptionConfigError(
      `A second factor's secret is sealed under key-encryption key ${sealed.kekId}, which is not configured. ` +
        "Set it as KEY_ENCRYPTION_KEY_PREVIOUS.",
    );
  }
  return open(factorKey(kek), sealed, aadOf(userId, factorId)).toString("utf8");
}
