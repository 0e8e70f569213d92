// One Azure request for windows that only differ by time. A live question reads its window and
// its baseline (the window before) at the same grain with otherwise identical parameters; sent as
// one request over both, Azure counts it once against the throttling budget. An unfiltered request
// also carries the freshness probe (the resource's newest minutes) when its span touches it. The
// response is cut back into one response per planned request by timestamp, each with its own
// timespan, so figures, visible series, read-back and the cache see what separate requests would
// have returned. Where a cut response could differ from a separate one (a `top` that may have cut
// series, a window whose series Azure might have left out), the planned requests are sent as well.
import type { MetricsResponse } from "./azure-metrics.ts";
import { MAX_METRICS_PER_REQUEST, type MetricsRequest, type Plan, type PlannedRequest } from "./plan.ts";

/**
 * How far one merged request may reach. The Metrics REST notes (reference/azure-monitor.md) give
 * no number for either; these are the points per series the simulator refuses beyond (its model of
 * the service's 400) and the 30 days Azure Monitor's metrics explorer reads in one query. Merges
 * are well inside both today (two windows of at most 1,440 PT1M points each); the guard keeps a
 * later plan from sending a union Azure might refuse when each window alone would be answered.
 */
export const MERGE_LIMITS = { maxPointsPerSeries: 50_000, maxSpanMs: 30 * 86_400_000 } as const;

/** Grains a response can be cut by timestamp at; FULL is one point for the whole span and cannot. */
const GRAIN_MS: Readonly<Record<string, number>> = { PT1M: 60_000, PT5M: 300_000, PT15M: 900_000, PT30M: 1_800_000, PT1H: 3_600_000, PT6H: 21_600_000, PT12H: 43_200_000, P1D: 86_400_000 };

/** One part a merged request answers: the planned request's window and timespan. */
export type MergedPart = NonNullable<MetricsRequest["covers"]>[number];

/** What is sent for some of a batch's requests: `parts` are their indexes, in timespan order. */
export interface Send {
  readonly request: MetricsRequest;
  readonly parts: readonly number[];
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The requests of one batch (sent together) as sends: requests equal but for timespan and window,
 * at a grain of whole minutes, whose spans touch or overlap, become one request over their union;
 * every other request is sent on its own. Sends keep the order of their first request.
 */
export function mergeBatch(requests: readonly MetricsRequest[]): Send[] {
  const groups = new Map<string, number[]>();
  const alone: number[] = [];
  requests.forEach((r, i) => {
    if (spanOf(r) === undefined || GRAIN_MS[r.interval] === undefined) {
      alone.push(i);
      return;
    }
    const key = sameButTime(r);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const sends: Send[] = alone.map((i) => ({ request: requests[i]!, parts: [i] }));
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => spanOf(requests[a]!)!.start - spanOf(requests[b]!)!.start);
    let run: number[] = [];
    let runEnd = -Infinity;
    const close = () => {
      if (run.length > 0) sends.push(...sendsOf(requests, run));
      run = [];
    };
    for (const i of sorted) {
      const span = spanOf(requests[i]!)!;
      if (span.start > runEnd) close();
      run.push(i);
      runEnd = Math.max(runEnd, span.end);
    }
    close();
  }
  return sends.sort((a, b) => Math.min(...a.parts) - Math.min(...b.parts));
}

/** A run of touching spans: one request when the union can be cut back exactly and stays within MERGE_LIMITS. */
function sendsOf(requests: readonly MetricsRequest[], run: readonly number[]): Send[] {
  const first = requests[run[0]!]!;
  const spans = run.map((i) => spanOf(requests[i]!)!);
  const union = { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
  const grain = GRAIN_MS[first.interval]!;
  // each part's buckets must be the union's buckets: its edges on the union's grid, whichever way Azure aligns them
  const onGrid = (t: number) => (t - union.start) % grain === 0 && t % grain === 0;
  const fits = (union.end - union.start) / grain <= MERGE_LIMITS.maxPointsPerSeries && union.end - union.start <= MERGE_LIMITS.maxSpanMs;
  const distinct = new Set(run.map((i) => `${requests[i]!.timespan} ${requests[i]!.metricnames}`)).size;
  const metricnames = [...new Set(run.flatMap((i) => requests[i]!.metricnames.split(",")))];
  if (run.length === 1 || distinct === 1 || !fits || metricnames.length > MAX_METRICS_PER_REQUEST || !spans.every((s) => onGrid(s.start) && onGrid(s.end))) {
    // identical requests need no merge: the cache's single-flight already sends them once
    return run.map((i) => ({ request: requests[i]!, parts: [i] }));
  }
  const all = metricnames.join(",");
  const covers: MergedPart[] = run.map((i) => ({ window: requests[i]!.window, timespan: requests[i]!.timespan, ...(requests[i]!.metricnames === all ? {} : { metricnames: requests[i]!.metricnames }) }));
  const window = covers.some((c) => c.window === "current") ? "current" : "previous";
  return [{ request: { ...first, metricnames: all, timespan: `${iso(union.start)}/${iso(union.end)}`, window, covers }, parts: run }];
}

/**
 * The merged response cut into one response per part, or undefined when a cut could differ from
 * what the part sent alone would have returned: then the parts are sent on their own.
 * - `top` reached: Azure ranked series over the union and may have dropped one a window had.
 * - A split series (`eq '*'`) with no sample in a part is left out, as Azure leaves out series
 *   without data in the span; nothing but zeros there is read as a count metric's zero-filled
 *   minutes (a row whose samples were all exactly 0 would be left out: only a request for that
 *   window alone could tell).
 * - An unsplit filtered series with no sample in a part is undecidable: Azure may answer that window
 *   alone with no series (then the plan's traffic check tells 0 from no data) or with zeros.
 */
export function cutMerged(res: MetricsResponse, merged: MetricsRequest, parts: readonly MetricsRequest[]): MetricsResponse[] | undefined {
  if (merged.top !== undefined && res.value.some((m) => m.timeseries.length >= merged.top!)) return undefined;
  const split = /\beq\s+'\*'/i.test(merged.filter ?? "");
  const out: MetricsResponse[] = [];
  for (const part of parts) {
    const span = spanOf(part)!;
    const names = new Set(part.metricnames.toLowerCase().split(","));
    const value = [];
    for (const m of res.value) {
      if (!names.has(m.name.value.toLowerCase())) continue;
      const series = [];
      for (const ts of m.timeseries) {
        const data = ts.data?.filter((p) => p.timeStamp.getTime() >= span.start && p.timeStamp.getTime() < span.end);
        const cut = data === undefined ? ts : { ...ts, data };
        // unfiltered and unsplit, Azure always answers the resource's one series, with data or not
        if (!split && merged.filter === undefined) {
          series.push(cut);
          continue;
        }
        if (hasSamples(cut)) series.push(cut);
        // unsplit and filtered, Azure may answer a window without matches with no series or with zeros: undecidable
        else if (!split) return undefined;
      }
      value.push({ ...m, timeseries: split && part.orderby !== undefined ? ranked(series, part.orderby) : series });
    }
    out.push({ ...res, timespan: part.timespan, value });
  }
  return out;
}

/** Whether a series' points show it had samples: a count, a non-zero total, or an average/min/max at all (zero-filled minutes have none). */
function hasSamples(ts: MetricsResponse["value"][number]["timeseries"][number]): boolean {
  return (ts.data ?? []).some((p) => (p.count ?? 0) > 0 || (p.total ?? 0) !== 0 || p.average !== undefined || p.minimum !== undefined || p.maximum !== undefined);
}

/** Series in the order Azure ranks them for `orderby` over one part ("Average desc"); ties keep the union's order. */
function ranked<T extends MetricsResponse["value"][number]["timeseries"][number]>(series: readonly T[], orderby: string): T[] {
  const [agg = "", dir = "desc"] = orderby.trim().split(/\s+/);
  const sign = dir.toLowerCase() === "asc" ? 1 : -1;
  const rank = (ts: T): number => {
    const pts = ts.data ?? [];
    const count = pts.reduce((n, p) => n + (p.count ?? 0), 0);
    const sum = (f: (p: (typeof pts)[number]) => number | undefined) => pts.reduce((n, p) => n + (f(p) ?? 0), 0);
    const values = (f: (p: (typeof pts)[number]) => number | undefined) => pts.map(f).filter((v): v is number => v !== undefined);
    switch (agg.toLowerCase()) {
      case "total":
      case "sum":
        return sum((p) => p.total);
      case "count":
        return count;
      case "average":
        return count > 0 ? sum((p) => (p.average === undefined ? undefined : p.average * (p.count ?? 0))) / count : 0;
      case "maximum": {
        const v = values((p) => p.maximum);
        return v.length > 0 ? Math.max(...v) : 0;
      }
      case "minimum": {
        const v = values((p) => p.minimum);
        return v.length > 0 ? Math.min(...v) : 0;
      }
      default:
        return 0;
    }
  };
  return series.map((ts, i) => ({ ts, i, r: rank(ts) })).sort((a, b) => sign * (a.r - b.r) || a.i - b.i).map((x) => x.ts);
}

/**
 * Every parameter but the time: requests equal here differ only in which span they read. Without a
 * filter the metric names may differ too (Azure answers each metric of a request on its own), so the
 * freshness probe rides along with an unfiltered figure request; with one they may not, as a filter
 * naming a dimension one of the metrics lacks fails the whole request.
 */
function sameButTime(r: MetricsRequest): string {
  const metrics = r.filter === undefined && r.top === undefined && r.orderby === undefined ? "(any)" : r.metricnames;
  return JSON.stringify([r.api, r.resourceId.toLowerCase(), metrics, r.aggregation, r.interval, r.filter ?? null, r.top ?? null, r.orderby ?? null]);
}

function spanOf(r: MetricsRequest): Span | undefined {
  const [a, b] = r.timespan.split("/");
  const start = Date.parse(a ?? "");
  const end = Date.parse(b ?? "");
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? { start, end } : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Sends one batch as mergeBatch groups it. For each request: its response (cut from a merged one,
 * or its own when the cut could differ), and what was really sent for it, in sending order.
 * `query(request, index)`: `index` is the batch request it is sent for (the first, for a merge).
 */
export async function sendBatch(requests: readonly MetricsRequest[], query: (request: MetricsRequest, index: number) => Promise<MetricsResponse>, merge = true): Promise<{ readonly responses: MetricsResponse[]; readonly sent: MetricsRequest[][] }> {
  const responses: MetricsResponse[] = [];
  const sent: MetricsRequest[][] = [];
  await Promise.all(
    (merge ? mergeBatch(requests) : requests.map((request, i) => ({ request, parts: [i] }))).map(async ({ request, parts }) => {
      const first = parts[0]!;
      if (parts.length === 1) {
        responses[first] = await query(request, first);
        sent[first] = [request];
        return;
      }
      const cut = cutMerged(await query(request, first), request, parts.map((i) => requests[i]!));
      if (cut !== undefined) {
        parts.forEach((i, k) => {
          responses[i] = cut[k]!;
          sent[i] = [request];
        });
        return;
      }
      await Promise.all(
        parts.map(async (i) => {
          responses[i] = await query(requests[i]!, i);
          sent[i] = [request, requests[i]!];
        }),
      );
    }),
  );
  return { responses, sent };
}

/**
 * What a (sent) plan sends, in order: its unconditional requests as mergeBatch groups them, then
 * the conditional ones each on its own (only some of them run, so none is merged). A merged send
 * whose cut could differ is followed by its parts' own requests (sendBatch), which are not listed.
 */
export function plannedSends(plan: Plan): { readonly request: MetricsRequest; readonly parts: readonly PlannedRequest[] }[] {
  const always = plan.requests.filter((p) => p.conditional === undefined);
  const merged = mergeBatch(always.map((p) => p.request)).map((s) => ({ request: s.request, parts: s.parts.map((i) => always[i]!) }));
  return [...merged, ...plan.requests.filter((p) => p.conditional !== undefined).map((p) => ({ request: p.request, parts: [p] }))];
}
