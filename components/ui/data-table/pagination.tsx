"use client";
// Below the table: previous/next. Server lists page by cursor (the URL keeps the stack of earlier
// cursors, so Previous and a reload work); client lists by page index.
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

export function TablePagination({
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  rowsOnPage,
  label,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  rowsOnPage: number;
  label: string;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav aria-label={`${label} pages`} className="flex items-center justify-between gap-2 pt-3 text-sm text-slate-600" data-testid="table-pagination">
      <p aria-live="polite" data-testid="table-page">
        Page {page + 1} · {rowsOnPage} {rowsOnPage === 1 ? "row" : "rows"}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" className="py-1.5" onClick={onPrevious} disabled={!hasPrevious} data-testid="table-previous">
          <ChevronLeft className="size-4" aria-hidden="true" />
          Previous
        </Button>
        <Button variant="secondary" className="py-1.5" onClick={onNext} disabled={!hasNext} data-testid="table-next">
          Next
          <ChevronRight className="size-4" aria-hidden="true" />
        </Button>
      </div>
    </nav>
  );
}
