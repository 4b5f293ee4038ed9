// The pending step-up request, shared between the tRPC link that meets a step-up refusal
// (components/trpc/client.tsx) and the dialog that resolves it (step-up-dialog.tsx).
import { appErrorCodeOf } from "@/server/isomorphic/errors";

type Listener = () => void;

let pending: { resolve: (ok: boolean) => void; promise: Promise<boolean> } | null = null;
const listeners = new Set<Listener>();

function emit() {
  for (const l of listeners) l();
}

/** Opens the step-up dialog (once, however many actions ask); resolves true after a successful step-up. */
export function requestStepUp(): Promise<boolean> {
  if (pending) return pending.promise;
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  pending = { resolve, promise };
  emit();
  return promise;
}

export function finishStepUp(ok: boolean): void {
  const p = pending;
  pending = null;
  emit();
  p?.resolve(ok);
}

export function stepUpPending(): boolean {
  return pending !== null;
}

export function subscribeStepUp(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The server's step-up refusal (server/auth/step-up.ts), by its stable code. */
export function isStepUpRefusal(err: unknown): boolean {
  return appErrorCodeOf(err) === "STEP_UP_REQUIRED";
}
