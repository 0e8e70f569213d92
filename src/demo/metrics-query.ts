// Reads a Metrics - List query string the way the service does: parameter names case-insensitive,
// `timespan` as start/end, start/duration, duration/end or a bare duration, grains from a fixed list.
import { AGGREGATIONS, type Aggregation } from "../queries/catalog.ts";
import { badRequest } from "./arm-error.ts";
import { parseFilter, type FilterClause } from "./metric-filter.ts";

export const MAX_METRICS_PER_QUERY = 20;
export const MAX_POINTS_PER_SERIES = 50_000;
export const DEFAULT_TOP = 10;

const MINUTE_MS = 60_000;
const GRAINS: Readonly<Record<string, number>> = {
  PT1M: 1,
  PT5M: 5,
  PT15M: 15,
  PT30M: 30,
  PT1H: 60,
  PT6H: 360,
  PT12H: 720,
  P1D: 1440,
};
export const SUPPORTED_GRAINS = Object.keys(GRAINS);

export interface OrderBy {
  readonly aggregation: Aggregation;
  readonly descending: boolean;
}

export interface MetricsQuery {
  readonly metricNames: readonly string[];
  /** Requested span, epoch ms; `end` exclusive. */
  readonly start: number;
  readonly end: number;
  /** Bucket length in ms, or "FULL" for one bucket over the whole span. */
  readonly step: number | "FULL";
  readonly interval: string;
  /** undefined: each metric's primary aggregation. */
  readonly aggregations: readonly Aggregation[] | undefined;
  readonly filter: readonly FilterClause[];
  readonly top: number;
  readonly orderBy: OrderBy | undefined;
  readonly resultType: "Data" | "Metadata";
  readonly metricNamespace: string | undefined;
  /** Dimensions whose `*` split is merged back into one series (`rollupby`). */
  readonly rollUpBy: readonly string[];
}

/** Query parameters keyed by lower-cased, percent-decoded name (so `%24filter` reads as `$filter`). */
export function queryParameters(search: URLSearchParams): ReadonlyMap<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of search) params.set(name.toLowerCase(), value);
  return params;
}

export function parseMetricsQuery(params: ReadonlyMap<string, string>, now: Date): MetricsQuery {
  const names = (params.get("metricnames") ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  if (names.length === 0) throw badRequest("The metricnames parameter is required.");
  const metricNames = [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
  if (metricNames.length > MAX_METRICS_PER_QUERY) {
    throw badRequest(`Requested ${metricNames.length} metrics; a request may name at most ${MAX_METRICS_PER_QUERY}.`);
  }

  const { start, end } = parseTimespan(params.get("timespan"), now);
  const interval = (params.get("interval") ?? "PT1M").trim().toUpperCase();
  let step: number | "FULL";
  if (interval === "FULL") {
    step = "FULL";
  } else {
    const minutes = GRAINS[interval];
    if (minutes === undefined) throw badRequest(`Invalid time grain duration: ${interval}, supported ones are: ${SUPPORTED_GRAINS.join(",")},FULL`);
    step = minutes * MINUTE_MS;
    const points = Math.ceil((end - floorMinute(start)) / step);
    if (points > MAX_POINTS_PER_SERIES) {
      throw badRequest(`The timespan and interval give ${points} points per time series; at most ${MAX_POINTS_PER_SERIES} are allowed. Use a larger interval or a shorter timespan.`);
    }
  }

  const resultType = parseResultType(params.get("resulttype"));
  return {
    metricNames,
    start,
    end,
    step,
    interval,
    aggregations: parseAggregations(params.get("aggregation")),
    filter: parseFilter(params.get("$filter") ?? params.get("filter") ?? ""),
    top: parseTop(params.get("top")),
    orderBy: parseOrderBy(params.get("orderby")),
    resultType,
    metricNamespace: params.get("metricnamespace"),
    rollUpBy: (params.get("rollupby") ?? "")
      .split(",")
      .map((d) => d.trim())
      .filter((d) => d.length > 0),
  };
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function parseResultType(raw: string | undefined): "Data" | "Metadata" {
  const v = (raw ?? "Data").toLowerCase();
  if (v === "data") return "Data";
  if (v === "metadata") return "Metadata";
  throw badRequest(`Invalid resultType '${raw ?? ""}'. Valid values: Data, Metadata.`);
}

function aggregationNamed(name: string): Aggregation | undefined {
  const n = name.trim().toLowerCase();
  // `sum` is how the REST docs' own orderby example spells Total.
  if (n === "sum") return "Total";
  return AGGREGATIONS.find((a) => a.toLowerCase() === n);
}

function parseAggregations(raw: string | undefined): Aggregation[] | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const out: Aggregation[] = [];
  for (const part of raw.split(",")) {
    const agg = aggregationNamed(part);
    if (agg === undefined) throw badRequest(`Invalid aggregation '${part.trim()}'. Valid aggregations: ${AGGREGATIONS.join(", ")}.`);
    if (!out.includes(agg)) out.push(agg);
  }
  return out;
}

function parseTop(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_TOP;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw badRequest(`Invalid top '${raw}': expected a positive integer.`);
  return Number(raw);
}

function parseOrderBy(raw: string | undefined): OrderBy | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const agg = m?.[1] === undefined ? undefined : aggregationNamed(m[1]);
  if (agg === undefined) throw badRequest(`Invalid orderby '${raw}'. Use an aggregation and a direction, e.g. 'Total desc'.`);
  return { aggregation: agg, descending: m?.[2]?.toLowerCase() === "desc" };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const ISO_DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

function parseTimespan(raw: string | undefined, now: Date): { start: number; end: number } {
  // Without a timespan the service answers the last hour.
  const text = (raw ?? "PT1H").trim().replace(/ /g, "+");
  const parts = text.split("/");
  let start: number | undefined;
  let end: number | undefined;
  if (parts.length === 1) {
    const d = duration(parts[0] ?? "");
    if (d !== undefined) {
      end = now.getTime();
      start = end - d;
    }
  } else if (parts.length === 2) {
    const [a = "", b = ""] = parts;
    const [ta, tb, da, db] = [instant(a), instant(b), duration(a), duration(b)];
    if (ta !== undefined && tb !== undefined) [start, end] = [ta, tb];
    else if (ta !== undefined && db !== undefined) [start, end] = [ta, ta + db];
    else if (da !== undefined && tb !== undefined) [start, end] = [tb - da, tb];
  }
  if (start === undefined || end === undefined) {
    throw badRequest(`Invalid timespan '${raw ?? ""}'. Expected 'start/end' in ISO 8601, e.g. 2026-11-29T09:00:00Z/2026-11-29T10:00:00Z.`);
  }
  if (end <= start) throw badRequest(`Invalid timespan '${raw ?? ""}': the end must be after the start.`);
  return { start, end };
}

function instant(s: string): number | undefined {
  if (!ISO_DATE.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

function duration(s: string): number | undefined {
  const m = ISO_DURATION.exec(s);
  if (m === null) return undefined;
  const n = (v: string | undefined) => Number(v ?? 0);
  const ms = ((((n(m[1]) * 7 + n(m[2])) * 24 + n(m[3])) * 60 + n(m[4])) * 60 + n(m[5])) * 1000;
  return ms > 0 ? ms : undefined;
}
