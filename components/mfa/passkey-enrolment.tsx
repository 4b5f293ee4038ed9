"use client";
// Adding a passkey: a name, then the browser's passkey prompt.
import { useId, useState, type FormEvent } from "react";
import { startRegistration } from "@simplewebauthn/browser";
import { useTRPCClient } from "../trpc/client";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { Notice } from "../ui/notice";

export function PasskeyEnrolment({ onEnrolled }: { onEnrolled: (recoveryCodes: string[] | null) => void }) {
  const client = useTRPCClient();
  const id = useId();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const optionsJSON = await client.factors.passkeyRegistrationOptions.mutate();
      const response = await startRegistration({ optionsJSON });
      const r = await client.factors.registerPasskey.mutate({ name, response: response as unknown as Record<string, unknown> });
      setName("");
      onEnrolled(r.recoveryCodes);
    } catch (err) {
      setError(err instanceof Error && err.name === "NotAllowedError" ? "The passkey prompt was cancelled or timed out. Try again." : err instanceof Error ? err.message : "The passkey could not be added.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="passkey-enrolment">
      {error ? <Notice tone="error">{error}</Notice> : null}
      <Field id={`${id}-name`} label="Passkey name" hint="So you can tell your passkeys apart, e.g. “Work laptop”.">
        <TextInput id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </Field>
      <Button type="submit" variant="secondary" disabled={busy} data-testid="add-passkey">
        Add a passkey
      </Button>
    </form>
  );
}
