// Daily summary → Message: worst movers first, then the totals, then one row per deployment.
import { formatChange, formatValue } from "../../bot/format.ts";
import { SUMMARY_FIGURES, type DailySummary, type Figure, type SummaryFigureId } from "../../queries/daily-summary.ts";
import { change } from "../../queries/result.ts";
import { message, type Message } from "../../bot/message.ts";
import { summaryCharts } from "../../bot/chart-of-summary.ts";

const TABLE_ROWS = 15;
/** A change smaller than this is not called out as a mover. */
const MOVER_THRESHOLD = 0.1;
const TABLE_FIGURES: readonly SummaryFigureId[] = ["requests", "successRate", "throttled", "serverErrors", "ttrAvg", "promptTokens", "completionTokens", "ptuPeak", "contentBlocks"];

export function summaryReport(s: DailySummary): Message {
  // one resource of several refusing the bot: said in its place, its figures unknown rather than shown as no data
  if (s.refused !== undefined) {
    return message("report", "warning", `Daily summary — ${s.resource.name} — ${s.dayLabel} (${s.zone})`, {
      lines: [`**Could not be read:** ${s.refused}`],
      footnotes: [`${s.resource.name}: day ${s.day.start}/${s.day.end} (local midnights in ${s.zone}); the other resources' summaries were read`],
    });
  }
  const spec = (id: SummaryFigureId) => SUMMARY_FIGURES.find((f) => f.id === id)!;
  const fmt = (id: SummaryFigureId, f: Figure) => formatValue(f.value, spec(id).unit);
  const movers = worstMovers(s);
  const lines = [
    ...(movers.length > 0 ? [`**Worst movers:** ${movers.join("; ")}`] : ["**Worst movers:** none (no figure got worse by 10 % or more)"]),
    ...SUMMARY_FIGURES.map((f) => {
      const fig = s.totals[f.id];
      const ch = formatChange(fig.value, fig.previous);
      return `${f.label}: **${fmt(f.id, fig)}**${ch ? `  ${ch} vs the day before (${fmt(f.id, { value: fig.previous, previous: null })})` : fig.value === null ? "" : "  (no data the day before)"}`;
    }),
  ];
  const rows = [...s.deployments].sort((a, b) => (b.figures.requests.value ?? -1) - (a.figures.requests.value ?? -1));
  const charts = summaryCharts(s);
  return message("report", movers.length > 0 ? "warning" : "info", `Daily summary — ${s.resource.name} — ${s.dayLabel} (${s.zone})`, {
    lines,
    tables: [{
      columns: ["deployment", ...TABLE_FIGURES.map((id) => spec(id).label)],
      rows: rows.slice(0, TABLE_ROWS).map((d) => [d.name, ...TABLE_FIGURES.map((id) => fmt(id, d.figures[id]))]),
      more: Math.max(0, rows.length - TABLE_ROWS),
      moreLabel: "deployments",
    }],
    ...(charts.length > 0 ? { charts } : {}),
    footnotes: [
      `${s.resource.name}: day ${s.day.start}/${s.day.end}, compared with ${s.previousDay.start}/${s.previousDay.end} (local midnights in ${s.zone}); grain PT1H, ${s.requests.length} Metrics - List requests${s.batchedIn === undefined ? "" : `, sent with other accounts' as metrics:getBatch calls in ${s.batchedIn}`}`,
      ...SUMMARY_FIGURES.map((f) => `${f.label}: ${f.source}`),
    ],
  });
}

/** The figures that got worst, biggest relative change first, e.g. "gpt-4o-mini 429s 2,471 ▲ +310.0 %". */
export function worstMovers(s: DailySummary, count = 3): string[] {
  const candidates: { text: string; score: number }[] = [];
  for (const d of s.deployments) {
    for (const f of SUMMARY_FIGURES) {
      if (f.worse === "none") continue;
      const fig = d.figures[f.id];
      if (fig.value === null || fig.previous === null) continue;
      const c = fig.previous === 0 ? (fig.value > 0 ? Number.POSITIVE_INFINITY : 0) : (change(fig.value, fig.previous) ?? 0);
      const score = f.worse === "up" ? c : -c;
      if (score >= MOVER_THRESHOLD) candidates.push({ score, text: `${d.name} ${f.label} ${formatValue(fig.value, f.unit)} ${formatChange(fig.value, fig.previous) ?? ""}`.trim() });
    }
  }
  return candidates.sort((a, b) => b.score - a.score).slice(0, count).map((c) => c.text);
}
