export { ACTIONS_COLUMN, DataTable, type DataTableProps, type RowAttributes } from "./data-table";
export { listInputFrom, useTableUrlState, type TableUrl } from "./url-state";
