// Dates are shown in UTC everywhere, so server- and browser-rendered text are the same.
const dateFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function toDate(d: Date | string | number): Date {
  return d instanceof Date ? d : new Date(d);
}

/** "30 Nov 2026" */
export function formatDate(d: Date | string | number): string {
  return dateFmt.format(toDate(d));
}

/** "30 Nov 2026, 14:05 UTC" */
export function formatDateTime(d: Date | string | number): string {
  return `${dateTimeFmt.format(toDate(d))} UTC`;
}

/** Machine-readable value for <time dateTime>. */
export function isoString(d: Date | string | number): string {
  return toDate(d).toISOString();
}

const localFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** The absolute time in the reader's zone and locale (browser only: the server has no reader). */
export function formatLocal(d: Date | string | number): string {
  return localFmt.format(toDate(d));
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relFmt = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "long" });

/** "3 min ago", "in 2 days", "just now": for times near enough that the distance is what matters. */
export function formatRelative(d: Date | string | number, now: number = Date.now()): string {
  const seconds = Math.round((toDate(d).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (abs >= size * (unit === "minute" ? 1 : 0.9)) return relFmt.format(Math.round(seconds / size), unit);
  }
  return relFmt.format(Math.round(seconds / 60), "minute");
}
