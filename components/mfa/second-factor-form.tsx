"use client";
// Proving the user with a second factor (or, for step-up without factors, the password): an
// authenticator code, a passkey, or a recovery code. Used by the sign-in second step and by the
// step-up dialog.
import { useId, useState, type FormEvent } from "react";
import { startAuthentication } from "@simplewebauthn/browser";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { Notice } from "../ui/notice";

export type Proof =
  | { method: "totp"; code: string }
  | { method: "recovery"; code: string }
  | { method: "passkey"; response: Record<string, unknown> & { id: string; rawId: string; type: "public-key"; response: Record<string, unknown> } }
  | { method: "password"; password: string };

export interface Methods {
  totp: boolean;
  passkey: boolean;
  recovery: boolean;
  password: boolean;
}

function messageOf(e: unknown): string {
  if (e instanceof Error && e.name === "NotAllowedError") return "The passkey prompt was cancelled or timed out. Try again.";
  return e instanceof Error ? e.message : "That did not work. Try again.";
}

export function SecondFactorForm({
  methods,
  submitLabel,
  onProof,
  passkeyOptions,
}: {
  methods: Methods;
  submitLabel: string;
  onProof: (proof: Proof) => Promise<void>;
  /** WebAuthn request options from the server (a fresh challenge each time). */
  passkeyOptions: () => Promise<unknown>;
}) {
  const id = useId();
  const [mode, setMode] = useState<"totp" | "recovery" | "password">(methods.password ? "password" : methods.totp ? "totp" : "recovery");
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(make: () => Promise<Proof>) {
    setBusy(true);
    setError(null);
    try {
      await onProof(await make());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const v = value.trim();
    void run(async () => (mode === "password" ? { method: "password", password: value } : mode === "totp" ? { method: "totp", code: v.replace(/\s/g, "") } : { method: "recovery", code: v }));
  }

  function usePasskey() {
    void run(async () => {
      const optionsJSON = await passkeyOptions();
      if (!optionsJSON) throw new Error("No passkey is registered for this account.");
      const response = await startAuthentication({ optionsJSON: optionsJSON as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      return { method: "passkey", response: response as unknown as Extract<Proof, { method: "passkey" }>["response"] };
    });
  }

  const labels = { totp: "Authenticator code", recovery: "Recovery code", password: "Password" } as const;
  return (
    <div className="space-y-4">
      {error ? (
        <Notice tone="error" testId="second-factor-error">
          {error}
        </Notice>
      ) : null}
      {methods.passkey ? (
        <Button className="w-full" onClick={usePasskey} disabled={busy} data-testid="use-passkey">
          Use a passkey
        </Button>
      ) : null}
      {methods.totp || methods.recovery || methods.password ? (
        <form onSubmit={submit} className="space-y-3">
          <Field id={`${id}-value`} label={labels[mode]} hint={mode === "totp" ? "The 6-digit code your authenticator app shows now." : mode === "recovery" ? "One of the codes you saved when you set up your second factor. Each works once." : undefined}>
            <TextInput
              id={`${id}-value`}
              name={mode}
              type={mode === "password" ? "password" : "text"}
              inputMode={mode === "totp" ? "numeric" : undefined}
              autoComplete={mode === "totp" ? "one-time-code" : mode === "password" ? "current-password" : "off"}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
              autoFocus
            />
          </Field>
          <Button type="submit" variant={methods.passkey ? "secondary" : "primary"} className="w-full" disabled={busy}>
            {busy ? "Checking…" : submitLabel}
          </Button>
        </form>
      ) : null}
      <div className="flex flex-wrap gap-x-4 text-sm">
        {mode !== "totp" && methods.totp ? (
          <button type="button" className="text-indigo-700 hover:underline" onClick={() => { setMode("totp"); setValue(""); }}>
            Use your authenticator app
          </button>
        ) : null}
        {mode !== "recovery" && methods.recovery ? (
          <button type="button" className="text-indigo-700 hover:underline" onClick={() => { setMode("recovery"); setValue(""); }}>
            Use a recovery code
          </button>
        ) : null}
      </div>
    </div>
  );
}
