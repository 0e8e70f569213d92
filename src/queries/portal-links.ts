// Links that open the same view in the Azure portal: Metrics explorer for a metric figure (same
// resource, metric, aggregation, filter, split and window) and Log Analytics for a log answer (same
// query, scope and time range). Pure: the portal's origin comes from portal-hosts.ts.
//
// Neither format is on learn.microsoft.com as a specification; both are what the portal itself writes
// when a chart or query is shared, and what maintained tools generate:
// - Metrics explorer: `#blade/Microsoft_Azure_MonitoringMetrics/Metrics.ReactView/Referer/MetricsExplorer/
//   ResourceId/<id>/TimeContext/<JSON>/ChartDefinition/<JSON>`, each part URL-encoded. The chart JSON
//   ({v2charts:[{metrics, grouping, filterCollection}]}), its aggregation enum, the filter operator
//   (0 = eq) and the grouping (sort 2 = descending) are those of Grafana's "View in Azure Portal"
//   link (grafana/grafana pkg/tsdb/azuremonitor/metrics/azuremonitor-datasource.go, getQueryUrl and
//   aggregationTypeMap); `ResourceId` and TimeContext's `showUTCTime`/`grain` are as the portal writes
//   them in its own share links. `grain: 1` is the portal's automatic grain: the only value of that
//   enum any source here shows, so the figure's own grain is in its source line, not guessed here.
// - Log Analytics: the portal's "Share → Copy link to query" form: `#blade/Microsoft_OperationsManagement
//   Suite_Workspace/Logs.ReactView/resourceId/<id>/source/LogsBlade.AnalyticsShareLinkToQuery/q/<query>/
//   timespan/<start>/<end>`. Microsoft's Azure Monitor articles link their demo workspace the same way
//   (…/DemoLogsBlade/resourceId/%2FDemo/source/LogsBlade.AnalyticsShareLinkToQuery/q/H4sI…%253D/timespan/P1D):
//   the query gzipped, base64-encoded, then URL-encoded twice (`%252B`, `%253D`); an absolute timespan
//   is the ISO interval URL-encoded once, as the portal writes it (…/timespan/2024-09-19T14%3A00%3A55.000Z%2F…).
import { gzipSync } from "node:zlib";
import { METRIC_NAMESPACE, type Aggregation } from "./catalog.ts";
import type { MetricResult, QueryAnswer } from "./result.ts";
import type { LogsRequest, TableAnswer } from "./table-answer.ts";

/** One link to the same view in the portal; the bot words its label. */
export interface PortalLink {
  readonly kind: "metrics" | "logs";
  /** What it shows: the figure ("Time to response [aoai-prod]") or the workspace ("law-prod"). */
  readonly about: string;
  readonly url: string;
}

/** A Metrics explorer chart: what the figure's Metrics - List request asked. */
export interface MetricsView {
  readonly resourceId: string;
  readonly resourceName: string;
  readonly metric: string;
  readonly displayName: string;
  readonly namespace: string;
  readonly aggregation: Aggregation;
  /** The $filter's value clauses: each dimension with the values it is limited to (or-ed). */
  readonly filters: readonly { readonly dimension: string; readonly values: readonly string[] }[];
  /** The dimension the chart is split by (the $filter's `eq '*'` clause). */
  readonly split?: { readonly dimension: string; readonly top: number };
  /** ISO instants of the window. */
  readonly start: string;
  readonly end: string;
}

/** A Log Analytics query: the scope (workspace or resource ARM id), the KQL and its window. */
export interface LogsView {
  readonly scope: string;
  readonly query: string;
  readonly start: string;
  readonly end: string;
}

/** The portal's aggregation enum (Grafana's aggregationTypeMap; "None" = 0 is never asked here). */
export const PORTAL_AGGREGATION: Readonly<Record<Aggregation, number>> = { Total: 1, Minimum: 2, Maximum: 3, Average: 4, Count: 7 };
/** Filter operator `eq` in a chart's filterCollection. */
const FILTER_EQ = 0;
/** Split series ranked largest first, as Azure's `orderby ... desc` and our breakdowns are. */
const SORT_DESCENDING = 2;
/** Series shown when a split has no top of its own (the portal's default). */
const DEFAULT_TOP = 10;
/** The portal picks the grain itself. */
const AUTOMATIC_GRAIN = 1;

const CLAUSE = /([A-Za-z][A-Za-z0-9_.]*) eq '([^']*)'/g;
const WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;
/** A metric name Azure knows (a spend estimate's provenance names two metrics and prices instead). */
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function metricsExplorerUrl(portal: string, v: MetricsView): string {
  const timeContext = { absolute: { startTime: isoMs(v.start), endTime: isoMs(v.end) }, showUTCTime: true, grain: AUTOMATIC_GRAIN };
  const chart = {
    metrics: [{ resourceMetadata: { id: v.resourceId }, name: v.metric, aggregationType: PORTAL_AGGREGATION[v.aggregation], namespace: v.namespace, metricVisualization: { displayName: v.displayName, resourceDisplayName: v.resourceName } }],
    ...(v.split ? { grouping: { dimension: v.split.dimension, sort: SORT_DESCENDING, top: v.split.top } } : {}),
    ...(v.filters.length > 0 ? { filterCollection: { filters: v.filters.map((f) => ({ key: f.dimension, operator: FILTER_EQ, values: f.values })) } } : {}),
  };
  const path = ["ResourceId", v.resourceId, "TimeContext", JSON.stringify(timeContext), "ChartDefinition", JSON.stringify({ v2charts: [chart] })].map(encodeURIComponent).join("/");
  return `${portal}/#blade/Microsoft_Azure_MonitoringMetrics/Metrics.ReactView/Referer/MetricsExplorer/${path}`;
}

export function logAnalyticsUrl(portal: string, v: LogsView): string {
  const packed = gzipSync(Buffer.from(v.query, "utf8")).toString("base64");
  const q = encodeURIComponent(encodeURIComponent(packed));
  const timespan = encodeURIComponent(`${isoMs(v.start)}/${isoMs(v.end)}`);
  return `${portal}/#blade/Microsoft_OperationsManagementSuite_Workspace/Logs.ReactView/resourceId/${encodeURIComponent(v.scope)}/source/LogsBlade.AnalyticsShareLinkToQuery/q/${q}/timespan/${timespan}`;
}

/** The chart a figure was read from; undefined when it is not one metric (a spend estimate). */
export function metricsView(r: MetricResult): MetricsView | undefined {
  const p = r.provenance;
  const [start, end] = p.timespan.split("/");
  if (!METRIC_NAME.test(p.metric) || start === undefined || end === undefined) return undefined;
  const values = new Map<string, string[]>();
  const splits: string[] = [];
  for (const [, dimension = "", value = ""] of (p.filter ?? "").matchAll(CLAUSE)) {
    if (value === "*") splits.push(dimension);
    else values.set(dimension, [...(values.get(dimension) ?? []), value]);
  }
  const dimension = r.splitBy ?? splits[0];
  const top = r.splitBy !== undefined && r.series.length > 0 ? r.series.length : DEFAULT_TOP;
  return {
    resourceId: p.resourceId,
    resourceName: r.resource.name,
    metric: p.metric,
    displayName: r.displayName,
    namespace: METRIC_NAMESPACE,
    aggregation: p.aggregation,
    filters: [...values].map(([d, vs]) => ({ dimension: d, values: vs })),
    ...(dimension === undefined ? {} : { split: { dimension, top } }),
    start,
    end,
  };
}

/** One Metrics explorer link per distinct chart, in figure order, named as the figure is ("… [resource]" when several). */
export function metricLinks(a: QueryAnswer, portal: string): PortalLink[] {
  const several = new Set(a.results.map((r) => r.resource.id)).size > 1;
  const seen = new Set<string>();
  return a.results.flatMap((r) => {
    const view = metricsView(r);
    const url = view && metricsExplorerUrl(portal, view);
    if (url === undefined || seen.has(url)) return [];
    seen.add(url);
    return [{ kind: "metrics" as const, about: several ? `${r.label} [${r.resource.name}]` : r.label, url }];
  });
}

/**
 * One Log Analytics link per query sent (one per workspace). A workspace named by its GUID has no
 * ARM id to open: the link opens the resource's own logs instead (resource-centric: the same rows,
 * as the templates keep to `_ResourceId`), which needs exactly one resource; raw KQL over a GUID
 * workspace, or a template over several resources in one, gets no link.
 */
export function logLinks(a: TableAnswer, portal: string): PortalLink[] {
  if (a.kind !== "logs" && a.kind !== "kql") return [];
  return a.requests.flatMap((r) => {
    if (r.api !== "logs") return [];
    const scope = scopeOf(r);
    const [start, end] = r.timespan.split("/");
    if (scope === undefined || start === undefined || end === undefined) return [];
    return [{ kind: "logs" as const, about: lastSegment(scope), url: logAnalyticsUrl(portal, { scope, query: r.query, start, end }) }];
  });
}

function scopeOf(r: LogsRequest): string | undefined {
  if (WORKSPACE_ID.test(r.workspace)) return r.workspace;
  const ids = r.template?.params["resourceIds"];
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string" ? ids[0] : undefined;
}

function lastSegment(id: string): string {
  return id.split("/").filter((s) => s !== "").pop() ?? id;
}

/** The portal writes instants with milliseconds ("2026-11-29T09:00:00.000Z"). */
function isoMs(instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : new Date(ms).toISOString();
}
