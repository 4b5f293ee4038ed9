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
