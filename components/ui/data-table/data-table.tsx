"use client";
// The one table every list uses (TanStack Table): search, sorting, paging and column visibility in
// the URL, row selection with a bulk-action bar, skeleton rows while loading, an empty state. The
// "actions" column is pinned to the right edge, so a row's action is never scrolled out of view
// however wide the other columns are (the rest scrolls sideways with a visible scrollbar).
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { Fragment, useEffect, useMemo, useState, type HTMLAttributes, type ReactNode } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { TablePagination } from "./pagination";
import { ColumnVisibilityMenu, TableSearch } from "./toolbar";
import type { TableUrl } from "./url-state";

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Header text, also the column's name in the visibility menu. */
    label?: string;
    /** Extra classes of the column's cells (td). */
    className?: string;
  }
}

export const ACTIONS_COLUMN = "actions";
const SELECT_COLUMN = "select";
const SKELETON_ROWS = 5;

export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;

export interface DataTableProps<T> {
  /** Accessible name of the table (and of its search box and pager). */
  label: string;
  // Column values differ per column; TanStack's own examples type the list with `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  data: T[] | undefined;
  getRowId: (row: T) => string;
  /** URL state from useTableUrlState(). */
  url: TableUrl;
  /** "server": the data is one page the server searched, sorted and paged (nextCursor); "client": all rows, done here. */
  mode: "server" | "client";
  nextCursor?: string | null;
  isLoading?: boolean;
  /** Shown instead of the rows (e.g. a load error). */
  error?: ReactNode;
  /** Shown when there are no rows (with a search: "no match" is added). */
  empty: ReactNode;
  searchLabel?: string;
  /** False: no search box (the page has its own filters). */
  searchable?: boolean;
  /** A full-width row under a row (e.g. an expanded detail), or null. */
  renderSubRow?: (row: T) => ReactNode | null;
  /** Client mode: rows per page. */
  pageSize?: number;
  /** Row selection with a bulk bar: which rows can be selected, how a row is named, what to do with them. */
  selection?: {
    canSelect?: (row: T) => boolean;
    rowName: (row: T) => string;
    actions: (selected: T[], clear: () => void) => ReactNode;
  };
  rowAttributes?: (row: T) => RowAttributes;
  /** Extra controls in the toolbar (right side). */
  toolbar?: ReactNode;
  testId?: string;
}

function Skeleton({ className = "" }: { className?: string }) {
  return <div aria-hidden="true" className={`h-4 animate-pulse rounded bg-slate-200 ${className}`} />;
}

const pinned = "sticky right-0 z-10 bg-white shadow-[-6px_0_6px_-6px_rgba(15,23,42,0.25)] group-hover:bg-slate-50 group-data-[selected=true]:bg-indigo-50";
const pinnedHead = "sticky right-0 z-10 bg-slate-50 shadow-[-6px_0_6px_-6px_rgba(15,23,42,0.25)]";

export function DataTable<T>(props: DataTableProps<T>) {
  const { label, data, url, mode, selection } = props;
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const pageKey = `${url.search}|${url.sort}|${url.direction}|${url.cursor}|${url.page}`;
  // A new page, search or sort starts with nothing selected: a bulk action acts only on what is seen.
  useEffect(() => setRowSelection({}), [pageKey]);

  const columns = useMemo<ColumnDef<T, unknown>[]>(() => {
    if (!selection) return props.columns;
    const select: ColumnDef<T, unknown> = {
      id: SELECT_COLUMN,
      enableSorting: false,
      enableHiding: false,
      header: ({ table }) => (
        <Checkbox
          aria-label="Select all rows on this page"
          checked={table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? "indeterminate" : false}
          onCheckedChange={(v) => table.toggleAllPageRowsSelected(v === true)}
          disabled={!table.getRowModel().rows.some((r) => r.getCanSelect())}
          data-testid="table-select-all"
        />
      ),
      cell: ({ row }) =>
        row.getCanSelect() ? (
          <Checkbox
            aria-label={`Select ${selection.rowName(row.original)}`}
            checked={row.getIsSelected()}
            onCheckedChange={(v) => row.toggleSelected(v === true)}
            data-testid="table-select-row"
          />
        ) : null,
      meta: { className: "w-8" },
    };
    return [select, ...props.columns];
  }, [props.columns, selection]);

  const sorting: SortingState = url.sort ? [{ id: url.sort, desc: url.direction === "desc" }] : [];
  const columnVisibility: VisibilityState = Object.fromEntries(url.hidden.map((id) => [id, false]));
  const server = mode === "server";

  const table = useReactTable<T>({
    data: data ?? [],
    columns,
    getRowId: props.getRowId,
    state: {
      sorting,
      columnVisibility,
      rowSelection,
      globalFilter: server ? undefined : url.search,
      pagination: server ? undefined : { pageIndex: url.page, pageSize: props.pageSize ?? 25 },
    },
    enableRowSelection: selection ? (row) => selection.canSelect?.(row.original) ?? true : false,
    onRowSelectionChange: setRowSelection,
    enableSortingRemoval: false,
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      url.update({ sort: first?.id ?? null, direction: first ? (first.desc ? "desc" : "asc") : null, cursors: [], page: 0 });
    },
    onColumnVisibilityChange: (updater) => {
      const next = typeof updater === "function" ? updater(columnVisibility) : updater;
      url.update({ hidden: Object.entries(next).filter(([, v]) => !v).map(([id]) => id) });
    },
    onPaginationChange: (updater) => {
      const current = { pageIndex: url.page, pageSize: props.pageSize ?? 25 };
      const next = typeof updater === "function" ? updater(current) : updater;
      url.update({ page: next.pageIndex });
    },
    manualSorting: server,
    manualFiltering: server,
    manualPagination: server,
    autoResetPageIndex: false,
    // Server lists sort only by the columns that say so (those with an index); client lists by any.
    defaultColumn: { enableSorting: !server },
    getCoreRowModel: getCoreRowModel(),
    ...(server ? {} : { getSortedRowModel: getSortedRowModel(), getFilteredRowModel: getFilteredRowModel(), getPaginationRowModel: getPaginationRowModel() }),
  });

  const rows = table.getRowModel().rows;
  const selected = table.getSelectedRowModel().rows.map((r) => r.original);
  const visible = table.getVisibleLeafColumns();
  // While another page, search or sort loads, skeleton rows replace the previous rows: stale rows
  // under a new filter would read as its result.
  const loading = Boolean(props.isLoading);

  return (
    <div className="space-y-3" data-testid={props.testId}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        {props.searchable === false ? (
          <span />
        ) : (
          <TableSearch value={url.search} label={props.searchLabel ?? `Search ${label.toLowerCase()}`} onChange={(search) => url.update({ search, cursors: [], page: 0 })} />
        )}
        <div className="flex flex-wrap items-center gap-2">
          {props.toolbar}
          <ColumnVisibilityMenu table={table} />
        </div>
      </div>

      {selection && selected.length > 0 ? (
        <div role="region" aria-label="Selected rows" className="flex flex-wrap items-center gap-3 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="bulk-bar">
          <span data-testid="bulk-count">
            {selected.length} selected
          </span>
          {selection.actions(selected, () => setRowSelection({}))}
          <button type="button" className="ml-auto text-indigo-700 underline-offset-2 hover:underline" onClick={() => setRowSelection({})}>
            Clear selection
          </button>
        </div>
      ) : null}

      {props.error ? (
        props.error
      ) : (
        <div className="max-w-full overflow-x-auto rounded-md border border-slate-200 [scrollbar-color:var(--color-slate-400)_transparent] [scrollbar-width:thin]" data-testid="table-scroll"
          // Keyboard users can scroll a table wider than its box (axe: scrollable-region-focusable).
          tabIndex={0}
          role="region"
          aria-label={label}
        >
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label={label} aria-busy={loading || undefined}>
            <thead className="bg-slate-50">
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((h) => {
                    const col = h.column;
                    const isActions = col.id === ACTIONS_COLUMN;
                    const sorted = col.getIsSorted();
                    const text = col.columnDef.meta?.label;
                    return (
                      <th
                        key={h.id}
                        scope="col"
                        aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                        className={`px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide whitespace-nowrap text-slate-500 ${isActions ? pinnedHead : ""}`}
                      >
                        {h.isPlaceholder ? null : col.getCanSort() ? (
                          <button
                            type="button"
                            onClick={() => col.toggleSorting(sorted === "asc")}
                            className="-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase hover:text-slate-900"
                            data-testid={`sort-${col.id}`}
                          >
                            {text ?? col.id}
                            {sorted === "asc" ? (
                              <ArrowUp className="size-3.5" aria-hidden="true" />
                            ) : sorted === "desc" ? (
                              <ArrowDown className="size-3.5" aria-hidden="true" />
                            ) : (
                              <ArrowUpDown className="size-3.5 opacity-50" aria-hidden="true" />
                            )}
                          </button>
                        ) : isActions ? (
                          <span className="sr-only">{text ?? "Actions"}</span>
                        ) : h.column.columnDef.header ? (
                          flexRender(h.column.columnDef.header, h.getContext())
                        ) : (
                          text
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody className="divide-y divide-slate-100">
              {loading
                ? Array.from({ length: SKELETON_ROWS }, (_, i) => (
                    <tr key={i} data-testid="table-skeleton-row">
                      {visible.map((c) => (
                        <td key={c.id} className="px-3 py-3">
                          <Skeleton className={c.id === SELECT_COLUMN ? "w-4" : "w-24"} />
                        </td>
                      ))}
                    </tr>
                  ))
                : rows.map((row) => {
                    const attrs = props.rowAttributes?.(row.original) ?? {};
                    const sub = props.renderSubRow?.(row.original) ?? null;
                    return (
                      <Fragment key={row.id}>
                      <tr {...attrs} data-selected={row.getIsSelected() || undefined} className={`group hover:bg-slate-50 data-[selected=true]:bg-indigo-50 ${attrs.className ?? ""}`}>
                        {row.getVisibleCells().map((cell) => {
                          const isActions = cell.column.id === ACTIONS_COLUMN;
                          return (
                            <td key={cell.id} className={`px-3 py-2 align-middle ${isActions ? `${pinned} text-right` : ""} ${cell.column.columnDef.meta?.className ?? (isActions ? "whitespace-nowrap" : "")}`}>
                              {flexRender(cell.column.columnDef.cell, cell.getContext())}
                            </td>
                          );
                        })}
                      </tr>
                      {sub ? (
                        <tr>
                          <td colSpan={visible.length} className="bg-slate-50 px-3 py-3">
                            {sub}
                          </td>
                        </tr>
                      ) : null}
                      </Fragment>
                    );
                  })}
            </tbody>
          </table>
          {loading ? <p className="sr-only">Loading {label.toLowerCase()}…</p> : null}
          {!loading && rows.length === 0 ? (
            <div className="px-4 py-8 text-center text-sm text-slate-600" data-testid="table-empty">
              {/* Without a search box, "q" may be the page's own filter (the audit search): its empty text says so. */}
              {url.search && props.searchable !== false ? <>Nothing matches “{url.search}”.</> : props.empty}
            </div>
          ) : null}
        </div>
      )}

      {server ? (
        <TablePagination
          label={label}
          page={url.cursors.length}
          rowsOnPage={rows.length}
          hasPrevious={url.cursors.length > 0}
          hasNext={Boolean(props.nextCursor)}
          onPrevious={() => url.update({ cursors: url.cursors.slice(0, -1) })}
          onNext={() => props.nextCursor && url.update({ cursors: [...url.cursors, props.nextCursor] })}
        />
      ) : (
        <TablePagination
          label={label}
          page={url.page}
          rowsOnPage={rows.length}
          hasPrevious={table.getCanPreviousPage()}
          hasNext={table.getCanNextPage()}
          onPrevious={() => table.previousPage()}
          onNext={() => table.nextPage()}
        />
      )}
    </div>
  );
}
