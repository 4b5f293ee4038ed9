// Class names shared by the console's data tables, so every list reads the same.
export const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
/** Cells of rows with multi-line content (badges, secondary lines). */
export const tdTop = "px-3 py-2 align-top";
/** Cells of single-line rows with buttons. */
export const tdMiddle = "px-3 py-2 align-middle";
