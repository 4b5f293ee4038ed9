"use client";
// A modal confirmation on Radix Dialog (focus trapped, Escape cancels, a click outside does not: a
// half-typed reason must not vanish). role="dialog" rather than alertdialog so the existing selectors hold.
import type { ReactNode } from "react";
import { Button } from "./ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "./ui/dialog";

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pending = false,
  tone = "danger",
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  /** "primary" for confirmations that lose nothing (e.g. reactivating an account). */
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next && !pending) onCancel();
      }}
    >
      <DialogContent
        showCloseButton={false}
        className="w-[min(28rem,calc(100vw-2rem))] gap-0 p-0"
        onInteractOutside={(e) => e.preventDefault()}
        onOpenAutoFocus={(e) => {
          // A field to fill (a reason, a typed name) gets the focus; otherwise the safe choice, Cancel.
          const content = e.currentTarget as HTMLElement | null;
          const field = content?.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), textarea, select");
          const cancel = content?.querySelector<HTMLElement>("[data-confirm-cancel]");
          const target = field ?? cancel;
          if (target) {
            e.preventDefault();
            target.focus();
          }
        }}
      >
        <div className="space-y-3 p-5">
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
          </DialogHeader>
          <DialogDescription asChild>
            <div className="space-y-3 text-sm text-slate-700">{children}</div>
          </DialogDescription>
        </div>
        <DialogFooter className="border-t border-slate-200 bg-slate-50 px-5 py-3">
          <Button variant="secondary" onClick={onCancel} disabled={pending} data-confirm-cancel="">
            Cancel
          </Button>
          <Button variant={tone} onClick={onConfirm} disabled={pending}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
