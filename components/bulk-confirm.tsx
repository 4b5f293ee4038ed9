"use client";
// The confirmed bulk action of a DataTable's selection (revoke keys, delete clients): the selection
// waiting for confirmation, the button that asks (disabled with the reason while the tenant is
// locked), and the dialog that lists every name before anything is lost.
import { useCallback, useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { lockedButtonProps, useTenantLock } from "@/components/tenant-lock";
import { errorMessage } from "@/components/trpc/error-message";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

type Pending<T> = { items: T[]; clear: () => void };

/** "3 keys" / "1 key". */
export function countOf(n: number, [one, many]: readonly [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One name, or "3 keys (a, b, c)": how a done bulk action is announced. */
export function namesSummary(names: string[], noun: readonly [string, string]): string {
  return names.length === 1 ? names[0]! : `${countOf(names.length, noun)} (${names.join(", ")})`;
}

/**
 * The selection waiting for confirmation. `ask` opens it (after `onAsk`, e.g. resetting the
 * mutation and the last announcement); `done` clears the table's selection and closes it.
 */
export function useBulkConfirm<T>(onAsk: () => void) {
  const [pending, setPending] = useState<Pending<T> | null>(null);
  const ask = useCallback(
    (items: T[], clear: () => void = () => {}) => {
      onAsk();
      setPending({ items, clear });
    },
    [onAsk],
  );
  const cancel = useCallback(() => setPending(null), []);
  const done = () => {
    pending?.clear();
    setPending(null);
  };
  return { items: pending?.items ?? null, ask, cancel, done };
}

/** The selection's red action button, e.g. "Revoke 2 keys". */
export function BulkActionButton({ verb, count, noun, testId, onClick }: { verb: string; count: number; noun: readonly [string, string]; testId: string; onClick: () => void }) {
  const locked = useTenantLock();
  return (
    <Button variant="danger" className="py-1" data-testid={testId} onClick={onClick} {...lockedButtonProps(locked)}>
      {verb} {countOf(count, noun)}
    </Button>
  );
}

/** The confirmation listing each selected item by name (and its code, e.g. a key prefix). */
export function BulkConfirmDialog<T>({
  items,
  title,
  confirmLabel,
  mutation,
  namesTestId,
  itemKey,
  itemName,
  itemCode,
  onCancel,
  onConfirm,
  children,
}: {
  items: T[] | null;
  title: string;
  confirmLabel: string;
  mutation: { isPending: boolean; isError: boolean; error: unknown };
  namesTestId: string;
  itemKey: (item: T) => string;
  itemName: (item: T) => string;
  itemCode: (item: T) => string;
  onCancel: () => void;
  onConfirm: (items: T[]) => void;
  /** What happens to them, above the list. */
  children: ReactNode;
}) {
  return (
    <ConfirmDialog open={items !== null} title={title} confirmLabel={confirmLabel} pending={mutation.isPending} onCancel={onCancel} onConfirm={() => items && onConfirm(items)}>
      {children}
      <ul className="max-h-48 list-disc space-y-0.5 overflow-y-auto pl-5" data-testid={namesTestId}>
        {items?.map((item) => (
          <li key={itemKey(item)}>
            <strong className="font-medium text-slate-900">{itemName(item)}</strong> <code className="font-mono text-xs text-slate-600">{itemCode(item)}</code>
          </li>
        ))}
      </ul>
      {mutation.isError ? (
        <Notice tone="error" testId="form-error">
          {errorMessage(mutation.error)}
        </Notice>
      ) : null}
    </ConfirmDialog>
  );
}
