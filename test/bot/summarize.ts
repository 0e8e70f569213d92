// One line per understood question, so a table of phrasings reads like a spec.
import type { Question, WindowSpec } from "../../src/queries/question.ts";
import type { TableQuestion } from "../../src/queries/table-questions.ts";

const pad = (n: number) => String(n).padStart(2, "0");

function windowOf(w: WindowSpec): string {
  return (
    w.kind === "relative" ? `${w.minutes}m`
    : w.kind === "since" ? `since ${w.time.hour}:${pad(w.time.minute)}${w.daysAgo ? " yesterday" : ""}`
    : w.kind === "between" ? `${w.from.hour}:${pad(w.from.minute)}-${w.to.hour}:${pad(w.to.minute)}${w.daysAgo ? " yesterday" : ""}`
    : w.kind === "absolute" ? `${w.start}/${w.end}`
    : w.kind);
}

export function summarize(q: Question): string {
  const window = windowOf(q.window);
  const asks = q.asks.map((a) => `${a.metric}:${a.aggregation}${a.status ? `:${a.status.kind === "exact" ? a.status.code : `${a.status.prefixes.join("")}xx`}` : ""}`).join(",");
  const filters = Object.entries(q.filters).map(([k, v]) => `${k}=${(v ?? []).join("|")}`).join(" ");
  const split = q.splitBy ? `by ${q.splitBy}${q.top ? ` top ${q.top}` : ""}${q.order === "asc" ? " asc" : ""}` : "";
  return [asks, window, filters, split].filter((s) => s.length > 0).join(" ; ");
}

/** "TABLE logs failed-requests ; 60m ; gpt-4o-mini ; last 5 ; status 429": what a table question asks. */
export function summarizeTable(q: TableQuestion): string {
  const parts = [`TABLE ${q.kind}${q.kind === "logs" ? ` ${q.template}` : ""}`, windowOf(q.window)];
  if (q.kind !== "kql" && q.deployments.length > 0) parts.push(q.deployments.join("|"));
  if (q.kind === "logs") {
    if (q.percentiles) parts.push(q.percentiles.map((v) => `p${v}`).join("/"));
    if (q.streamType) parts.push(q.streamType);
    if (q.limit !== undefined) parts.push(`limit ${q.limit}`);
    if (q.status) parts.push(`status ${q.status.kind === "exact" ? q.status.code : `${q.status.prefix}xx`}`);
    if (q.silentMinutes !== undefined) parts.push(`silent ${q.silentMinutes}m`);
  }
  return parts.join(" ; ");
}
