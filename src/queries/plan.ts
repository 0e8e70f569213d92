// Turns a Question into Azure Monitor Metrics - List requests with exactly the REST parameters:
// every request answering it may send, in the order they run. Asks that share a resource, filter
// and split go into one request (up to 20 metric names); requests that only some answers need are
// listed too, marked with the condition under which they run.
import { AGGREGATIONS, DIMENSIONS, figureInfo, metric, METRIC_NAMESPACE, type Aggregation, type Dimension } from "./catalog.ts";
import { DEPLOYMENT_FACTS_QUERY } from "./deployment-facts.ts";
import { resolveDeployment } from "./deployments.ts";
import { InvalidWindowError, NotScopableError, UnsupportedDimensionError } from "./errors.ts";
import { buildFilter, type FilterClause } from "./filter.ts";
import { CANONICAL_FAMILY, metricNamesIn, type MetricFamilyId } from "./metric-families.ts";
import { chooseGrain } from "./grain.ts";
import type { MetricAsk, Question } from "./question.ts";
import type { Resource } from "./resources.ts";
import type { SentAs } from "./sent-as.ts";
import { valueLookups } from "./reported-values.ts";
import { queryable, scopedFilter, visibleClause } from "./scope.ts";
import { composeStatus } from "./status.ts";
import { baselineWindow, isoSpan, resolveWindow, type Baseline, type ResolvedWindow } from "./time-window.ts";

/** Metrics - List accepts at most 20 names per call. */
export const MAX_METRICS_PER_REQUEST = 20;
/**
 * Series fetched when a request splits by a dimension. Larger than any top-N we show, so the
 * headline (sum or weighted average over all series) is computed from every series, not just the shown ones.
 */
export const SPLIT_FETCH_TOP = 100;
/**
 * Azure Monitor metrics arrive a few minutes late. A window ending this close to now is "live": the
 * resource's newest minutes are read at PT1M to tell how far data has arrived, and the baseline's
 * last minutes are read at PT1M too, so it can be cut to the same covered length.
 */
export const FRESHNESS_SPAN_MINUTES = 15;
/** Peak-minute figures read every PT1M point; longer windows would be thousands of points per series. */
export const PEAK_MINUTE_MAX_WINDOW_MINUTES = 1440;
/** Several values of one of these, not split by it, are compared side by side: one result each. */
export const COMPARED_DIMENSIONS = ["ModelDeploymentName", "ModelName", "Region"] as const satisfies readonly Dimension[];

export interface MetricsRequest {
  readonly api: "metrics";
  readonly resourceId: string;
  readonly metricnames: string;
  readonly aggregation: string;
  readonly interval: string;
  readonly timespan: string;
  readonly filter?: string;
  readonly top?: number;
  readonly orderby?: string;
  /** Which window this request serves. */
  readonly window: "current" | "previous";
  /** A merged request (request-merge.ts): the planned requests it answers, each cut back from its response by timestamp. */
  readonly covers?: readonly { readonly window: "current" | "previous"; readonly timespan: string; /** When not all of the request's. */ readonly metricnames?: string }[];
  /** An answer's request that went through the metrics batch API (sent-as.ts): as which call it really went. */
  readonly sentAs?: SentAs;
}

/** When a conditional request runs, in words (shown by `aoai ask --plan`). */
export const CONDITIONS = {
  noCounts: "if the points came without counts",
  noStatusMatch: "if no series matched the StatusCode filter",
} as const;

export type Condition = (typeof CONDITIONS)[keyof typeof CONDITIONS];

/** What a check request is for, in words (shown by `aoai ask --plan`). */
export const CHECK_PURPOSES = {
  "full-window": "the window as one FULL point, to weight an average Azure sent without counts",
  traffic: "the same request without the StatusCode clause, to tell a real 0 from no data",
  freshness: "the resource's newest minutes at PT1M, to tell how far Azure Monitor's data has arrived",
  models: "AzureOpenAIRequests by deployment and model over both windows, to price each deployment's tokens by its model",
} as const;

export interface PlannedRequest {
  readonly request: MetricsRequest;
  readonly resource: Resource;
  /** Indexes into question.asks answered by this request. */
  readonly asks: readonly number[];
  readonly splitDimensions: readonly Dimension[];
  /** The filter as clauses. */
  readonly clauses: readonly FilterClause[];
  /** The figures themselves, or a check read alongside another request's answer. */
  readonly purpose: "figures" | keyof typeof CHECK_PURPOSES;
  /** The figures request a check reads alongside. */
  readonly of?: PlannedRequest;
  /** Runs only when this holds for what the unconditional requests returned; absent: always runs. */
  readonly conditional?: Condition;
  /** Which compared item (index into plan.items) this request serves; absent when nothing is compared. */
  readonly item?: number;
  /**
   * The request in the names it was planned in, when the resource's metric family (metric-families.ts)
   * names its metrics differently (`request` is what is sent): the answer is read in these names.
   */
  readonly planned?: MetricsRequest;
}

/** One of several compared values ("gpt-4o vs gpt-4o-mini"). */
export interface CompareItem {
  readonly dimension: Dimension;
  readonly value: string;
}

/**
 * A lookup planning read (cached by AzureMetrics): the metric definitions (Metric Definitions - List,
 * which metric family the resource reports; one per resource), then with Metrics - List
 * resultType=Metadata the deployments (names, models, which are provisioned; one per resource), and
 * the reported values of each filtered dimension (reported-values.ts; one per resource and dimension).
 */
export interface PlannedLookup {
  readonly api: "metrics";
  readonly resourceId: string;
  /** Metadata reads only: Metric Definitions - List has no result type. */
  readonly resultType?: "Metadata";
  readonly reads: "metric definitions" | "deployment names" | "dimension values";
  /** Metric definitions: the namespace they are listed for. */
  readonly metricnamespace?: string;
  /** Metadata reads: the metrics (in the resource's family) and the dimensions split. */
  readonly metricnames?: string;
  readonly filter?: string;
}

export interface Plan {
  /** The question as answered: status filters composed into its asks (status.ts). */
  readonly question: Question;
  readonly window: ResolvedWindow;
  /** The baseline: what the figures are compared with. */
  readonly previous: Baseline;
  /** Compared items, each answered on its own; empty when nothing is compared. */
  readonly items: readonly CompareItem[];
  /** The window ends within FRESHNESS_SPAN_MINUTES of now: freshness is read and the baseline can be cut. */
  readonly live: boolean;
  readonly grain: string;
  readonly zone: string;
  /** The resources the question is asked of, with the deployments planning used. */
  readonly resources: readonly Resource[];
  /** Unconditional requests first (sent together), then conditional ones (after those answered). */
  readonly requests: readonly PlannedRequest[];
  /** Read before planning, once per configured resource; the requests above depend on them. */
  readonly lookups: readonly PlannedLookup[];
}

export function planQuestion(asked: Question, askedOf: readonly Resource[], now: Date, zone: string): Plan {
  // a resource the asker may see no deployment of is not asked (refused when that leaves none)
  const resources = queryable(askedOf);
  const question = composeQuestion(asked);
  const window = resolveWindow(question.window, now, zone);
  const previous = baselineWindow(question.window, window, zone, question.baseline);
  const windowMs = window.end.getTime() - window.start.getTime();
  const grain = chooseGrain(windowMs);
  const live = now.getTime() - window.end.getTime() < FRESHNESS_SPAN_MINUTES * 60_000;
  const items = compareItems(question);
  if (question.asks.some(isPeakMinute) && windowMs > PEAK_MINUTE_MAX_WINDOW_MINUTES * 60_000) {
    throw new InvalidWindowError("Peak-minute figures read every minute of the window, so they cover up to 24 hours.", { hint: 'Ask for a window of 24 h or less, e.g. "peak tokens per minute today".' });
  }
  const tailMs = Math.min(FRESHNESS_SPAN_MINUTES * 60_000, windowMs);
  const tailStart = new Date(previous.end.getTime() - tailMs);

  const requests: PlannedRequest[] = [];
  const conditional: PlannedRequest[] = [];
  // each compared item's resources, found once: the freshness probes and the figures both use them
  const targetsOf = (items.length === 0 ? [undefined] : items.map((_, i) => i)).map((item) => {
    const q = itemQuestion(question, items, item);
    return { item, q, targets: targetResources(q, resources) };
  });
  const planned = [...new Set(targetsOf.flatMap((t) => t.targets))];
  if (live) {
    const span = isoSpan({ start: new Date(Math.max(window.start.getTime(), window.end.getTime() - FRESHNESS_SPAN_MINUTES * 60_000)), end: window.end });
    for (const resource of planned) {
      // a restricted asker's freshness is read from the deployments they may see
      const filter = scopedFilter(undefined, resource);
      const clauses = visibleClause(resource);
      requests.push({ request: { api: "metrics", resourceId: resource.id, metricnames: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: span, ...(filter === undefined ? {} : { filter }), window: "current" }, resource, asks: [], splitDimensions: [], clauses: clauses === undefined ? [] : [clauses], purpose: "freshness" });
    }
  }
  for (const { item, q: itemQ, targets } of targetsOf) for (const resource of targets) {
    const groups = new Map<string, { clauses: FilterClause[]; asks: number[]; grain: string }>();
    question.asks.forEach((ask, i) => {
      const clauses = clausesFor(itemQ, ask, resource);
      const askGrain = isPeakMinute(ask) ? "PT1M" : grain;
      const key = groupKey(clauses, askGrain);
      const g = groups.get(key) ?? { clauses, asks: [], grain: askGrain };
      g.asks.push(i);
      groups.set(key, g);
    });
    const tagged = item === undefined ? {} : { item };
    for (const g of groups.values()) {
      const filter = buildFilter(g.clauses);
      const splitDimensions = g.clauses.filter((c) => c.values === "*").map((c) => c.dimension);
      for (const chunk of chunkByMetric(g.asks, question.asks)) {
        const asks = chunk.map((i) => question.asks[i]!);
        const metricnames = [...new Set(asks.map((a) => a.metric))].join(",");
        const aggs = requestAggregations(asks);
        const split = splitDimensions.length > 0;
        const base = {
          api: "metrics" as const,
          resourceId: resource.id,
          metricnames,
          aggregation: aggs.join(","),
          ...(filter === undefined ? {} : { filter }),
          ...(split ? { top: SPLIT_FETCH_TOP, orderby: `${asks[0]!.aggregation} ${question.order ?? "desc"}` } : {}),
        };
        const shared = { resource, asks: chunk, splitDimensions, clauses: g.clauses, purpose: "figures" as const, ...tagged };
        const current: PlannedRequest = { ...shared, request: { ...base, interval: g.grain, timespan: isoSpan(window), window: "current" } };
        // a live window's baseline ends in PT1M points, so it can be cut to the minutes the window has data for
        const whole = (interval: string) => [{ interval, start: previous.start, end: previous.end }];
        const parts: { interval: string; start: Date; end: Date }[] = !live
          ? whole(asks.some(isPeakMinute) ? "PT1M" : "FULL")
          : g.grain === "PT1M"
            ? whole("PT1M")
            : [...(tailStart > previous.start ? [{ interval: "FULL", start: previous.start, end: tailStart }] : []), { interval: "PT1M", start: tailStart, end: previous.end }];
        const prevs = parts.map((p): PlannedRequest => ({ ...shared, request: { ...base, interval: p.interval, timespan: isoSpan(p), window: "previous" } }));
        requests.push(current, ...prevs);
        if (asks.some((a) => a.aggregation === "Average" && !isPeakMinute(a))) {
          conditional.push({ ...shared, purpose: "full-window", of: current, request: { ...current.request, interval: "FULL" }, conditional: CONDITIONS.noCounts });
        }
        for (const check of trafficChecks([current, ...prevs], asks, g.clauses, split)) (check.conditional === undefined ? requests : conditional).push(check);
      }
    }
  }
  return { question, window, previous, items, live, grain, zone, resources: planned, requests: [...requests, ...conditional], lookups: planLookups(question, resources) };
}

/** What planning read before the requests above: every resource's metric definitions, then its deployments, then the values of filtered dimensions. */
export function planLookups(question: Question, resources: readonly Resource[]): PlannedLookup[] {
  const definitions = resources.map((r): PlannedLookup => ({ api: "metrics", resourceId: r.id, reads: "metric definitions", metricnamespace: METRIC_NAMESPACE }));
  const deployments = resources.map((r): PlannedLookup => ({ api: "metrics", resourceId: r.id, resultType: "Metadata", reads: "deployment names", ...DEPLOYMENT_FACTS_QUERY }));
  const family = new Map(resources.map((r) => [r.id, r.family ?? CANONICAL_FAMILY]));
  const inFamily = (l: PlannedLookup): PlannedLookup => (l.metricnames === undefined ? l : { ...l, metricnames: lookupNamesIn(family.get(l.resourceId) ?? CANONICAL_FAMILY, l.metricnames) });
  return [...definitions, ...deployments, ...valueLookups(question, resources)].map(inFamily);
}

/** Equal for equal clauses and grain, as their JSON was, without serialising the clause objects (a good part of planning). */
function groupKey(clauses: readonly FilterClause[], grain: string): string {
  let key = grain;
  for (const c of clauses) key += `\u0000${c.dimension}\u0001${c.values === "*" ? "*" : JSON.stringify(c.values)}`;
  return key;
}

/** Lookups read a few fixed metric lists (the deployment facts, each dimension's source): each spelled per family once. */
const LOOKUP_NAMES = new Map<MetricFamilyId, Map<string, string>>();

function lookupNamesIn(family: MetricFamilyId, metricnames: string): string {
  let spelled = LOOKUP_NAMES.get(family);
  if (spelled === undefined) LOOKUP_NAMES.set(family, (spelled = new Map<string, string>()));
  let names = spelled.get(metricnames);
  if (names === undefined) {
    names = metricNamesIn(family, metricnames);
    if (spelled.size >= 256) spelled.clear();
    spelled.set(metricnames, names);
  }
  return names;
}

/** Peak-minute figures read every PT1M point of both windows. */
function isPeakMinute(ask: MetricAsk): boolean {
  return ask.figure !== undefined && figureInfo(ask.figure).kind === "peak-minute";
}

/** The person's status filter composed into every ask (status.ts), once, for planning and reading alike. */
function composeQuestion(question: Question): Question {
  const values = question.filters.StatusCode;
  return { ...question, asks: question.asks.map((a) => composeStatus(a, values, a.figure !== undefined && figureInfo(a.figure).kind === "share")) };
}

/** "gpt-4o vs gpt-4o-mini": several values of a compared dimension, unless the answer is split by it anyway. */
function compareItems(question: Question): CompareItem[] {
  const dimension = COMPARED_DIMENSIONS.find((d) => (question.filters[d]?.length ?? 0) > 1 && question.splitBy !== d);
  if (dimension === undefined) return [];
  return [...new Set(question.filters[dimension])].map((value) => ({ dimension, value }));
}

function itemQuestion(question: Question, items: readonly CompareItem[], item: number | undefined): Question {
  const it = item === undefined ? undefined : items[item];
  return it === undefined ? question : { ...question, filters: { ...question.filters, [it.dimension]: [it.value] } };
}

/**
 * A status filter that matches nothing comes back as no series at all. The same request without
 * the StatusCode clause, as one FULL point, tells a real zero (no 429s, yet traffic) from no data.
 * Split, it is always needed (which rows had traffic); unsplit, only when the filter matched nothing.
 * A status class needs none: it is split by StatusCode, so Azure already lists every code it saw.
 */
function trafficChecks(figures: readonly PlannedRequest[], asks: readonly MetricAsk[], clauses: readonly FilterClause[], split: boolean): PlannedRequest[] {
  const metrics = [...new Set(asks.filter((a) => a.status?.kind === "exact" && a.aggregation === "Total").map((a) => a.metric))];
  const filter = buildFilter(clauses.filter((c) => c.dimension !== "StatusCode"));
  return metrics.flatMap((name) =>
    figures.map((of): PlannedRequest => {
      const { api, resourceId, top, orderby, timespan, window } = of.request;
      const request: MetricsRequest = { api, resourceId, metricnames: name, aggregation: "Total", ...(filter === undefined ? {} : { filter }), ...(top === undefined ? {} : { top }), ...(orderby === undefined ? {} : { orderby }), interval: "FULL", timespan, window };
      return { request, resource: of.resource, asks: of.asks, splitDimensions: of.splitDimensions, clauses: clauses.filter((c) => c.dimension !== "StatusCode"), purpose: "traffic", of, ...(of.item === undefined ? {} : { item: of.item }), ...(split ? {} : { conditional: CONDITIONS.noStatusMatch }) };
    }),
  );
}

/** Only resources that have the asked deployment; every resource when none is named. */
function targetResources(question: Question, resources: readonly Resource[]): readonly Resource[] {
  const wanted = question.filters.ModelDeploymentName;
  if (wanted === undefined || wanted.length === 0) return resources;
  const known = [...new Set(resources.flatMap((r) => r.deployments))];
  if (known.length === 0) return resources;
  const names = wanted.map((w) => resolveDeployment(w, known));
  return resources.filter((r) => r.deployments.length === 0 || names.some((n) => r.deployments.includes(n)));
}

function clausesFor(question: Question, ask: MetricAsk, resource: Resource): FilterClause[] {
  const info = metric(ask.metric);
  const byDim = new Map<Dimension, readonly string[] | "*">();
  for (const dim of DIMENSIONS) {
    const values = question.filters[dim];
    if (values === undefined || values.length === 0) continue;
    // the person's status filter is already composed into the ask's status (composeQuestion)
    if (dim === "StatusCode" && info.dimensions.includes("StatusCode")) continue;
    // with several resources, each gets the named deployments it has (targetResources dropped those with none)
    const canonical = dim === "ModelDeploymentName" && resource.deployments.length > 0 ? values.flatMap((v) => resource.deployments.filter((d) => d.toLowerCase() === v.toLowerCase())) : values;
    byDim.set(dim, canonical.length > 0 ? canonical : values.map((v) => resolveDeployment(v, resource.deployments)));
  }
  // an asker who may see only some deployments: every request is kept to them, also when none is named
  const visible = visibleClause(resource);
  const restrict = visible !== undefined && !byDim.has("ModelDeploymentName");
  if (visible !== undefined && !info.dimensions.includes("ModelDeploymentName")) {
    const instead = info.legacy ? `ask about ${info.legacy.replacement} instead` : "ask about a metric reported per deployment, e.g. AzureOpenAIRequests or ProcessedPromptTokens";
    throw new NotScopableError(`${info.name} has no ModelDeploymentName dimension, so it can't be limited to the deployments you may see.`, { hint: `It counts every deployment of the resource; ${instead}.` });
  }
  const splitByDeployment = question.splitBy === "ModelDeploymentName";
  if (restrict && !splitByDeployment) byDim.set("ModelDeploymentName", visible.values);
  if (question.splitBy !== undefined && !byDim.has(question.splitBy)) byDim.set(question.splitBy, "*");
  if (ask.status !== undefined && !byDim.has("StatusCode")) byDim.set("StatusCode", ask.status.kind === "exact" ? [ask.status.code] : "*");
  else if (ask.status?.kind === "exact" && byDim.get("StatusCode") === "*") byDim.set("StatusCode", [ask.status.code]);

  for (const dim of byDim.keys()) {
    if (!info.dimensions.includes(dim)) {
      const hint = info.legacy
        ? `${info.name} is a legacy metric without that dimension; ask about ${info.legacy.replacement} instead.`
        : `${info.name} can be filtered or split by: ${info.dimensions.join(", ")}.`;
      throw new UnsupportedDimensionError(`${info.name} has no ${dim} dimension, so it can't be filtered or split that way.`, { hint });
    }
  }
  // A stable order makes equal filters group together and keeps plans readable.
  const clauses: FilterClause[] = DIMENSIONS.filter((d) => byDim.has(d)).map((d) => ({ dimension: d, values: byDim.get(d)! }));
  // split by deployment yet restricted: `eq '*'` splits and the values clause after it keeps only the visible series
  if (restrict && splitByDeployment) clauses.splice(clauses.findIndex((c) => c.dimension === "ModelDeploymentName") + 1, 0, visible);
  return clauses;
}

function chunkByMetric(indexes: readonly number[], asks: readonly MetricAsk[]): number[][] {
  const chunks: number[][] = [];
  const metricChunk = new Map<string, number>();
  for (const i of indexes) {
    const name = asks[i]!.metric;
    let c = metricChunk.get(name);
    if (c === undefined) {
      const last = chunks.length - 1;
      const lastNames = last >= 0 ? new Set(chunks[last]!.map((j) => asks[j]!.metric)) : new Set<string>();
      c = last >= 0 && lastNames.size < MAX_METRICS_PER_REQUEST ? last : chunks.push([]) - 1;
      metricChunk.set(name, c);
    }
    chunks[c]!.push(i);
  }
  return chunks;
}

/** An average over a window needs the counts of its points to be weighted correctly. */
function requestAggregations(asks: readonly MetricAsk[]): Aggregation[] {
  const wanted = new Set<Aggregation>(asks.map((a) => a.aggregation));
  if (wanted.has("Average")) wanted.add("Count");
  return AGGREGATIONS.filter((a) => wanted.has(a));
}
