// The daily summary's key figures as bars by deployment. The summary keeps day totals per
// deployment, not its hourly points, so these are bars of yesterday's requests and 429s.
import { SUMMARY_FIGURES, type DailySummary, type SummaryFigureId } from "../queries/daily-summary.ts";
import { limitBars } from "./chart-limit.ts";
import { chartWindow } from "./chart-window.ts";
import type { Chart } from "./message.ts";

/** Counts only: the "other" bar sums the deployments past the first seven. */
const CHARTED: readonly SummaryFigureId[] = ["requests", "throttled"];

export function summaryCharts(s: DailySummary): Chart[] {
  return CHARTED.flatMap((id) => {
    const spec = SUMMARY_FIGURES.find((f) => f.id === id);
    if (!spec) return [];
    const rows = s.deployments.map((d) => ({ label: d.name, value: d.figures[id].value }));
    // nothing to compare: no deployment had any (no traffic, or no 429s at all)
    if (!rows.some((r) => r.value !== null && r.value !== 0)) return [];
    const ranked = [...rows].sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || (b.value ?? 0) - (a.value ?? 0));
    const bars = limitBars(ranked, { total: s.totals[id].value, hidden: 0, additive: true, what: "counts" });
    const caption = [chartWindow(s.day.start, s.day.end, s.zone), spec.source, "PT1H", ...(bars.note ? [bars.note] : [])].join(" · ");
    return [{ kind: "bar" as const, title: `${spec.label} by deployment — ${s.dayLabel}`, unit: spec.unit, caption, zone: s.zone, series: [], bars: bars.items }];
  });
}
