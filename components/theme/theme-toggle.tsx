"use client";
// Light / dark / follow the system, in the header. A Radix select: three choices, keyboard and screen
// readers as usual. Until hydration the choice is unknown (it lives in localStorage), so the trigger
// shows a neutral icon then.
import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";
import { useHydrated } from "../use-hydrated";
import { Select, SelectContent, SelectItem, SelectTrigger } from "../ui/select";

const CHOICES = [
  { value: "system", label: "System theme", Icon: MonitorIcon },
  { value: "light", label: "Light theme", Icon: SunIcon },
  { value: "dark", label: "Dark theme", Icon: MoonIcon },
] as const;

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const hydrated = useHydrated();
  const current = CHOICES.find((c) => c.value === (hydrated ? theme : "system")) ?? CHOICES[0];
  return (
    <Select value={current.value} onValueChange={setTheme}>
      <SelectTrigger
        size="sm"
        aria-label={`Theme: ${current.label.replace(" theme", "").toLowerCase()}`}
        data-testid="theme-toggle"
        className="w-auto gap-1 bg-card px-2"
      >
        <current.Icon aria-hidden="true" className="size-4 text-slate-600" />
      </SelectTrigger>
      <SelectContent position="popper" align="end">
        {CHOICES.map(({ value, label, Icon }) => (
          <SelectItem key={value} value={value} data-testid={`theme-${value}`}>
            <Icon aria-hidden="true" className="size-4" />
            {label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
