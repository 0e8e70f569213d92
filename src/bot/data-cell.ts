// A data table's cells hold what Azure sent (log rows, caller IPs, kql results, activity-log text)
// and every renderer shows them as written: the message markup (**bold**, `code`) means nothing
// there, so a caller masked as `10.1.4.***` keeps its asterisks. The one exception is a cell that is
// exactly one ⟦ISO instant⟧ (the composer's way of saying "a time"), shown as each platform shows times.

// as compose-table.ts writes instants (Date.parse alone would take "10.1.4.***" for a date)
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const WHOLE_CELL_TIME = /^⟦([^⟧]+)⟧$/;

/** The instant a data cell stands for when the whole cell is one ⟦ISO instant⟧; undefined for every other cell. */
export function cellInstant(cell: string): string | undefined {
  const iso = WHOLE_CELL_TIME.exec(cell)?.[1];
  return iso !== undefined && ISO_INSTANT.test(iso) && !Number.isNaN(Date.parse(iso)) ? iso : undefined;
}
