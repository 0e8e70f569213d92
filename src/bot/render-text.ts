// Plain-text rendering of a Reply, for the console and `aoai ask`.
import { DIMENSIONS } from "../queries/catalog.ts";
import type { MetricResult, QueryAnswer } from "../queries/result.ts";
import { formatMinutes } from "../queries/time-window.ts";
import { formatChange, formatValue } from "./format.ts";
import type { Reply } from "./reply.ts";
import { sparkline } from "./sparkline.ts";

const DIMENSION_LABEL: Readonly<Record<(typeof DIMENSIONS)[number], string>> = {
  ApiName: "API", OperationName: "operation", Region: "region", StreamType: "stream type", ModelDeploymentName: "deployment", ModelName: "model", ModelVersion: "model version", StatusCode: "status code", IsSpillover: "spillover", ServiceTierRequest: "requested tier", ServiceTierResponse: "served tier", RatelimitKey: "rate-limit key", FeatureName: "feature", UsageChannel: "usage channel", TextType: "text type", Category: "category", Severity: "severity",
};

export function dimensionLabel(d: (typeof DIMENSIONS)[number]): string {
  return DIMENSION_LABEL[d];
}

export function renderText(reply: Reply): string {
  switch (reply.kind) {
    case "help":
      return [
        "Ask me how your Azure OpenAI deployments are doing. For example:",
        ...reply.examples.map((e) => `  ${e}`),
        reply.deployments.length > 0 ? `Deployments: ${reply.deployments.join(", ")}.` : "",
        "Windows: last 30 minutes, 24h, 7d, today, yesterday, since 09:00, between 10:00 and 11:00 (default: last hour).",
        "Filters: deployment=, model=, region=, api=, operation=, status=, stream=. Split: by deployment, by status code, top 3 ...",
      ].filter((l) => l.length > 0).join("\n");
    case "error":
      return [
        reply.message,
        reply.hint ?? "",
        reply.examples.length > 0 ? `Try: ${reply.examples.map((e) => `"${e}"`).join(", ")}` : "",
        reply.reference ? `Reference: ${reply.reference}` : "",
      ].filter((l) => l.length > 0).join("\n");
    case "answer":
      return renderAnswer(reply.answer);
  }
}

function renderAnswer(a: QueryAnswer): string {
  const lines = [`${a.topic} — ${a.window.label} (${a.results[0]?.provenance.localWindow ?? `${a.window.start}/${a.window.end}`})`];
  const multiResource = new Set(a.results.map((r) => r.resource.id)).size > 1;
  const prevLabel = previousLabel(a);
  for (const r of a.results) lines.push(...renderResult(r, multiResource, prevLabel));
  for (const n of a.notes) lines.push(`note: ${n}`);
  return lines.join("\n");
}

function renderResult(r: MetricResult, multiResource: boolean, prevLabel: string): string[] {
  const who = multiResource ? ` [${r.resource.name}]` : "";
  if (r.error) return [``, `${r.label}${who}: not available — Azure Monitor said ${r.error.code}: ${r.error.message}`, `  source: ${source(r)}`];
  const changeText = formatChange(r.value, r.previous);
  const prev = r.previous === null ? "no data in the previous window" : `${changeText ?? ""} vs ${prevLabel} (${formatValue(r.previous, r.unit)})`.trim();
  const out = ["", `${r.label}${who}: ${formatValue(r.value, r.unit)}${r.value === null ? " (Azure Monitor returned no data points for this window)" : ""}  ${r.value === null ? "" : prev}`.trimEnd()];
  const spark = sparkline(r.points.map((p) => p.value));
  if (spark.trim().length > 0) out.push(`  ${spark}`);
  if (r.splitBy !== undefined) {
    const name = dimensionLabel(r.splitBy);
    if (r.series.length === 0) out.push(`  by ${name}: no series had data`);
    else {
      out.push(`  by ${name}:`);
      const split = r.splitBy;
      const rows = r.series.map((s) => ({ key: s.dimensions[split] ?? "", value: formatValue(s.value, r.unit), change: formatChange(s.value, s.previous) }));
      const keyWidth = Math.max(...rows.map((row) => row.key.length));
      const valueWidth = Math.max(...rows.map((row) => row.value.length));
      for (const row of rows) out.push(`    ${row.key.padEnd(keyWidth)}  ${row.value.padStart(valueWidth)}${row.change ? `  ${row.change}` : ""}`);
      if (r.hiddenSeries > 0) out.push(`    … and ${r.hiddenSeries} more`);
    }
  }
  out.push(`  source: ${source(r)}`);
  return out;
}

export function source(r: MetricResult): string {
  const p = r.provenance;
  return [r.resource.name, p.metric, p.aggregation, `grain ${p.interval}`, p.timespan, p.filter ? `filter ${p.filter}` : "", p.method].filter((s) => s.length > 0).join(" · ");
}

function previousLabel(a: QueryAnswer): string {
  const minutes = Math.round((Date.parse(a.window.end) - Date.parse(a.window.start)) / 60_000);
  return `previous ${formatMinutes(minutes)}`;
}
