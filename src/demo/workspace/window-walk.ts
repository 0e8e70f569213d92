// Walking the minutes of a query window over the simulated workspace: only minutes whose rows have
// landed, whole minutes at once, and the rows of a minute the window cuts through one by one (each
// row keeps its own logged time, so a window edge inside a minute splits it as it would a real table).
import type { DataWindow } from "../ingestion.ts";
import type { MinuteCalls } from "./minute-calls.ts";

const MINUTE_MS = 60_000;

/** [start, end) in epoch ms, already narrowed to the rows that have landed. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function visibleSpan(start: number, end: number, landed: DataWindow): Span | undefined {
  const s = Math.max(start, landed.start);
  const e = Math.min(end, landed.end);
  return e > s ? { start: s, end: e } : undefined;
}

/**
 * Calls `visit(whole)` with the cursor on each minute of the span, oldest first (or newest first);
 * a visitor returns true to stop early (it has found what it looked for).
 */
export function walkMinutes(calls: MinuteCalls, span: Span, visit: (whole: boolean) => boolean | undefined, newestFirst = false): void {
  const first = Math.floor(span.start / MINUTE_MS) * MINUTE_MS;
  const last = Math.ceil(span.end / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  const step = newestFirst ? -MINUTE_MS : MINUTE_MS;
  for (let m = newestFirst ? last : first; newestFirst ? m >= first : m <= last; m += step) {
    calls.moveTo(m);
    if (visit(m >= span.start && m + MINUTE_MS <= span.end) === true) return;
  }
}

/** Whether row i of the cell, in the cursor's minute, was logged inside the span. */
export function rowInSpan(calls: MinuteCalls, cell: number, i: number, span: Span): boolean {
  const at = calls.minuteMs + calls.offsetMs(cell, i);
  return at >= span.start && at < span.end;
}

/** Rows of the cell inside the span: all of them for a whole minute, else those logged inside it. */
export function rowsInSpan(calls: MinuteCalls, cell: number, span: Span, whole: boolean): number {
  const n = calls.count(cell);
  if (whole || n === 0) return n;
  let k = 0;
  for (let i = 0; i < n; i++) if (rowInSpan(calls, cell, i, span)) k++;
  return k;
}
