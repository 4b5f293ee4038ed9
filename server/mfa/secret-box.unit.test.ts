// The sealed TOTP secret: opens only for its own user and factor, and survives a KEK rotation.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyringOf } from "../signing-keys/envelope";
import { openFactorSecret, sealFactorSecret } from "./secret-box";
import { relyingParty } from "../auth/relying-party";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");

describe("factor secret box", () => {
  it("binds the ciphertext to its user and factor", () => {
    const ring = keyringOf(k1);
    const sealed = sealFactorSecret("u1", "f1", "JBSWY3DPEHPK3PXP", ring);
    expect(Buffer.from(sealed.ciphertext).toString("utf8")).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openFactorSecret("u1", "f1", sealed, ring)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openFactorSecret("u2", "f1", sealed, ring)).toThrow(/could not be decrypted/);
    expect(() => openFactorSecret("u1", "f2", sealed, ring)).toThrow(/could not be decrypted/);
  });

  it("reads secrets sealed under the previous KEK during a rotation, and names a missing KEK", () => {
    const sealed = sealFactorSecret("u1", "f1", "SECRET", keyringOf(k1));
    expect(openFactorSecret("u1", "f1", sealed, keyringOf(k2, k1))).toBe("SECRET");
    expect(() => openFactorSecret("u1", "f1", sealed, keyringOf(k2))).toThrow(/KEY_ENCRYPTION_KEY_PREVIOUS/);
  });
});

describe("WebAuthn relying party", () => {
  it("comes from the request's host when no public origin is configured", () => {
    expect(relyingParty({ host: "localhost:3000", proto: null })).toEqual({ id: "localhost", origin: "http://localhost:3000", name: "Credo Console" });
    expect(relyingParty({ host: "console.example", proto: "https" }).origin).toBe("https://console.example");
  });
});
