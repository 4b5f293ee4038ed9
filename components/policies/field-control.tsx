"use client";
// The input for one overridden policy value, by kind: a number with its bounds, an on/off switch,
// a text area, or a rate limit's three numbers. Values are passed through as typed; bounds are
// checked by the field's zod schema (the same one the server uses) and shown under the control.
import type { Control, RateLimit } from "@/server/isomorphic/policies/sections";
import { inputClasses } from "@/components/ui/field";

/** "" stays "" (the schema then says "must be a number"); anything else becomes a number. */
function numberOrEmpty(raw: string): number | string {
  return raw.trim() === "" ? "" : Number(raw);
}

export function FieldControl({
  id,
  label,
  control,
  value,
  invalid,
  disabled,
  onChange,
}: {
  id: string;
  label: string;
  control: Control | { kind: "flag" };
  value: unknown;
  invalid: boolean;
  disabled?: boolean;
  onChange: (v: unknown) => void;
}) {
  switch (control.kind) {
    case "int":
      return (
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={control.min}
          max={control.max}
          step={1}
          aria-label={label}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          className={`${inputClasses} max-w-40`}
          value={typeof value === "number" && Number.isFinite(value) ? value : String(value ?? "")}
          onChange={(e) => onChange(numberOrEmpty(e.target.value))}
          data-testid="policy-input"
        />
      );
    case "bool":
    case "flag":
      return (
        <label className="inline-flex items-center gap-2 text-sm text-slate-700">
          <input
            id={id}
            type="checkbox"
            className="h-4 w-4 rounded border-slate-300"
            checked={value === true}
            disabled={disabled}
            onChange={(e) => onChange(e.target.checked)}
            data-testid="policy-input"
          />
          {label}
        </label>
      );
    case "text":
      return (
        <textarea
          id={id}
          aria-label={label}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          rows={3}
          maxLength={control.maxLength + 1}
          className={inputClasses}
          value={String(value ?? "")}
          onChange={(e) => onChange(e.target.value)}
          data-testid="policy-input"
        />
      );
    case "choice":
      return (
        <select
          id={id}
          aria-label={label}
          aria-invalid={invalid || undefined}
          disabled={disabled}
          className={`${inputClasses} max-w-40`}
          value={String(value ?? "")}
          onChange={(e) => onChange(e.target.value)}
          data-testid="policy-input"
        >
          {control.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case "rate": {
      const r = (value ?? {}) as Partial<Record<keyof RateLimit, unknown>>;
      const part = (key: keyof RateLimit, text: string) => (
        <label className="flex flex-col gap-1 text-xs text-slate-600">
          {text}
          <input
            type="number"
            inputMode="numeric"
            step={1}
            aria-label={`${label}: ${text}`}
            aria-invalid={invalid || undefined}
            disabled={disabled}
            className={`${inputClasses} w-28`}
            value={typeof r[key] === "number" ? (r[key] as number) : String(r[key] ?? "")}
            onChange={(e) => onChange({ ...r, [key]: numberOrEmpty(e.target.value) })}
          />
        </label>
      );
      return (
        <div id={id} className="flex flex-wrap gap-3" data-testid="policy-input">
          {part("requestsPerWindow", "Requests per window")}
          {part("windowSeconds", "Window (seconds)")}
          {part("burst", "Burst")}
        </div>
      );
    }
  }
}
