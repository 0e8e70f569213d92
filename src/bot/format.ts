// How figures read in every renderer: units, thousands separators, change arrows, "no data".
import type { Dimension, MetricUnit } from "../queries/catalog.ts";
import { change, type MetricResult } from "../queries/result.ts";
import { sentAsWords } from "../queries/sent-as.ts";

export const NO_DATA = "no data";

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return NO_DATA;
  switch (unit) {
    case "MilliSeconds":
      return `${group(value, value >= 100 ? 0 : 1)} ms`;
    case "Percent":
      return `${trim(value.toFixed(value >= 99.9 && value < 100 ? 3 : 2))} %`;
    case "Bytes":
      return bytes(value);
    case "Currency":
      // the currency code is in the figure's label ("Estimated cost (USD)")
      return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case "Count":
    case "CountPerSecond":
      return group(value, Number.isInteger(value) ? 0 : value >= 100 ? 0 : 2);
  }
}

/** "▲ +12.4 %", "▼ −3.0 %", "= 0 %" or undefined when either side has no data. */
export function formatChange(value: number | null, previous: number | null): string | undefined {
  if (value !== null && previous !== null && previous === 0) return value === 0 ? "= no change" : "▲ new (was 0)";
  const c = change(value, previous);
  if (c === null) return undefined;
  const pct = c * 100;
  if (Math.abs(pct) < 0.05) return "= no change";
  return `${pct > 0 ? "▲ +" : "▼ −"}${Math.abs(pct).toFixed(1)} %`;
}

function group(v: number, digits: number): string {
  return v.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

function bytes(v: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let x = v;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${i === 0 ? x : x.toFixed(1)} ${units[i] ?? "B"}`;
}

const DIMENSION_LABEL: Readonly<Record<Dimension, string>> = {
  ApiName: "API", OperationName: "operation", Region: "region", StreamType: "stream type", ModelDeploymentName: "deployment", ModelName: "model", ModelVersion: "model version", StatusCode: "status code", IsSpillover: "spillover", ServiceTierRequest: "requested tier", ServiceTierResponse: "served tier", RatelimitKey: "rate-limit key", FeatureName: "feature", UsageChannel: "usage channel", TextType: "text type", Category: "category", Severity: "severity",
};

export function dimensionLabel(d: Dimension): string {
  return DIMENSION_LABEL[d];
}

/** Where a figure came from, precisely enough to rerun the query by hand. */
export function source(r: MetricResult): string {
  const p = r.provenance;
  return [r.resource.name, p.metric, p.aggregation, `grain ${p.interval}`, p.timespan, p.filter ? `filter ${p.filter}` : "", p.method, p.sentAs ? sentAsWords(p.sentAs) : ""].filter((s) => s.length > 0).join(" · ");
}
