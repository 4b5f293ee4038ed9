import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";
import type { ComponentProps } from "react";
import { cn } from "./utils";

// shadcn/ui's button, with the project's variant names kept (primary/secondary/danger/ghost) so the
// existing call sites and buttonClasses() for button-looking links stay as they are.
export const buttonVariants = cva(
  "inline-flex shrink-0 items-center justify-center gap-2 rounded-md text-sm font-medium whitespace-nowrap transition-colors disabled:cursor-not-allowed disabled:opacity-60 [&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4",
  {
    variants: {
      variant: {
        primary: "bg-primary text-primary-foreground shadow-xs hover:bg-primary/90",
        secondary: "border border-input bg-card text-slate-700 shadow-xs hover:bg-accent hover:text-accent-foreground",
        danger: "bg-destructive text-destructive-foreground shadow-xs hover:bg-destructive/90",
        ghost: "text-slate-600 hover:bg-accent hover:text-accent-foreground",
        link: "text-indigo-700 underline-offset-4 hover:underline",
      },
      size: {
        default: "px-3 py-2",
        sm: "h-8 gap-1.5 px-2.5 text-xs",
        icon: "size-9",
        "icon-sm": "size-8",
      },
    },
    defaultVariants: { variant: "primary", size: "default" },
  },
);

export type ButtonVariant = NonNullable<VariantProps<typeof buttonVariants>["variant"]>;

/** Class names for a button look; also used on links that should look like buttons. */
export function buttonClasses(variant: ButtonVariant = "primary", extra = ""): string {
  return cn(buttonVariants({ variant }), extra);
}

export function Button({
  className,
  variant = "primary",
  size = "default",
  asChild = false,
  type,
  ...props
}: ComponentProps<"button"> & VariantProps<typeof buttonVariants> & { asChild?: boolean }) {
  const Comp = asChild ? Slot.Root : "button";
  // A plain <button> defaults to type="button": a forgotten type must not submit the surrounding form.
  return (
    <Comp
      data-slot="button"
      type={asChild ? type : (type ?? "button")}
      className={cn(buttonVariants({ variant, size }), className)}
      {...props}
    />
  );
}
