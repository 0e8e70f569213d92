// One line per understood question, so a table of phrasings reads like a spec.
import type { Question } from "../../src/queries/question.ts";

const pad = (n: number) => String(n).padStart(2, "0");

export function summarize(q: Question): string {
  const w = q.window;
  const window =
    w.kind === "relative" ? `${w.minutes}m`
    : w.kind === "since" ? `since ${w.time.hour}:${pad(w.time.minute)}${w.daysAgo ? " yesterday" : ""}`
    : w.kind === "between" ? `${w.from.hour}:${pad(w.from.minute)}-${w.to.hour}:${pad(w.to.minute)}${w.daysAgo ? " yesterday" : ""}`
    : w.kind === "absolute" ? `${w.start}/${w.end}`
    : w.kind;
  const asks = q.asks.map((a) => `${a.metric}:${a.aggregation}${a.status ? `:${a.status.kind === "exact" ? a.status.code : `${a.status.prefixes.join("")}xx`}` : ""}`).join(",");
  const filters = Object.entries(q.filters).map(([k, v]) => `${k}=${(v ?? []).join("|")}`).join(" ");
  const split = q.splitBy ? `by ${q.splitBy}${q.top ? ` top ${q.top}` : ""}${q.order === "asc" ? " asc" : ""}` : "";
  const percentiles = q.percentiles ? q.percentiles.map((v) => `p${v}`).join("/") : "";
  return [asks, window, filters, split, percentiles].filter((s) => s.length > 0).join(" ; ");
}
