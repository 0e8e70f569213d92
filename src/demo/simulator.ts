// An in-process Azure Monitor for the demo account: answers the Metrics, Metric Definitions and
// Metric Namespaces REST calls, the data plane's metrics:getBatch (batch-route.ts), and, through
// arm-routes.ts, the activity log, deployments and diagnostic settings, with the service's wire format and error shapes, so the real
// @azure/arm-monitor client (and everything above it) runs unchanged against simulated data.
// "Now" is a clock read on every request, not a snapshot: a long-running process keeps serving
// new minutes as they land (see ingestion.ts), and a past minute answers the same at any time.
import { DIMENSIONS, findMetric, METRIC_NAMESPACE, METRICS, type Dimension, type MetricInfo } from "../queries/catalog.ts";
import { ArmError, badRequest } from "./arm-error.ts";
import { answerArmRoute } from "./arm-routes.ts";
import { DEMO_RESOURCE_ID } from "./demo-resource.ts";
import { dataWindow } from "./ingestion.ts";
import { metricDefinitions, metricNamespaces } from "./metric-definitions.ts";
import type { FilterClause } from "./metric-filter.ts";
import { bucketsFor, collectSeries, HourlySamples } from "./metric-series.ts";
import { parseMetricsQuery, queryParameters } from "./metrics-query.ts";
import { metricsResponse, type WireMetricsResponse } from "./metrics-response.ts";
import { answerBatch, BATCH_ROUTE } from "./batch-route.ts";
import { hashKey } from "./seeded-random.ts";
import { DemoTraffic, type DemoTrafficOptions } from "./traffic.ts";

export interface SimulatorRequest {
  readonly method: string;
  readonly url: string;
  /** The JSON body (metrics:getBatch names its accounts there). */
  readonly body?: string;
}

export interface SimulatorResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface SimulatedAzureMonitorOptions extends DemoTrafficOptions {
  /**
   * The service's clock, asked on every request: it decides which minutes have landed and resolves
   * bare-duration timespans such as `PT1H`. The wall clock unless given; a pinned `--now` passes a
   * clock that always says the same time.
   */
  readonly now?: () => Date;
  /** Cap on the hour cache, in numbers (8 bytes each). */
  readonly hourCacheValues?: number;
  /** Other account ids the batch route answers with the demo account's data (the bench's fleet of one region); the demo's own always. */
  readonly alsoAnswers?: (resourceId: string) => boolean;
}

/** Versions of the Microsoft.Insights metrics APIs; arm-monitor 8 sends 2024-02-01 for all three calls. */
const API_VERSIONS = ["2018-01-01", "2019-07-01", "2021-05-01", "2023-10-01", "2024-02-01"];
const MANAGEMENT_BASE = "https://management.azure.com";
const ROUTE = /^(.*)\/providers\/microsoft\.insights\/(metrics|metricdefinitions|metricnamespaces)$/i;

export class SimulatedAzureMonitor {
  readonly traffic: DemoTraffic;
  private readonly hourly: HourlySamples;
  private readonly now: () => Date;
  private readonly alsoAnswers: (resourceId: string) => boolean;
  private served = 0;

  constructor(options: SimulatedAzureMonitorOptions = {}) {
    this.traffic = new DemoTraffic(options);
    this.hourly = new HourlySamples(options.hourCacheValues);
    this.now = options.now ?? (() => new Date());
    this.alsoAnswers = options.alsoAnswers ?? (() => false);
  }

  /** Numbers held by the hour cache (bounded by `hourCacheValues`). */
  get cachedValues(): number {
    return this.hourly.size;
  }

  handle(req: SimulatorRequest): SimulatorResponse {
    const requestId = this.nextRequestId();
    try {
      return respond(200, requestId, JSON.stringify(this.route(req)));
    } catch (err) {
      if (err instanceof ArmError) return respond(err.status, requestId, err.body());
      // A bug in the simulator should look like what it is to the client: a failed server.
      const message = err instanceof Error ? err.message : String(err);
      return respond(500, requestId, JSON.stringify({ error: { code: "InternalServerError", message } }));
    }
  }

  private route(req: SimulatorRequest): unknown {
    const url = parseUrl(req.url);
    const path = url.pathname.replace(/\/{2,}/g, "/").replace(/\/$/, "");
    // Activity log, deployments and diagnostic settings (arm-routes.ts); the rest is metrics.
    const arm = answerArmRoute(req.method, decodePath(path), { seed: this.traffic.seed, nowMs: this.now().getTime(), params: queryParameters(url.searchParams) });
    if (arm !== undefined) return arm.body;
    if (BATCH_ROUTE.test(path)) {
      return answerBatch({ method: req.method, host: url.hostname, path: decodePath(path), params: queryParameters(url.searchParams), body: req.body }, (id) => id.toLowerCase() === DEMO_RESOURCE_ID.toLowerCase() || this.alsoAnswers(id), (params) => this.metrics(params));
    }
    const match = ROUTE.exec(path);
    const resource = match?.[1];
    const operation = match?.[2]?.toLowerCase();
    if (resource === undefined || operation === undefined) {
      throw new ArmError(404, "NotFound", `No HTTP resource was found that matches the request URI '${req.url}'.`);
    }
    const resourceId = decodePath(resource);
    if (resourceId.toLowerCase() !== DEMO_RESOURCE_ID.toLowerCase()) {
      throw new ArmError(404, "ResourceNotFound", `The Resource '${resourceId}' was not found. The demo knows only ${DEMO_RESOURCE_ID}.`);
    }
    if (req.method.toUpperCase() !== "GET") {
      throw new ArmError(405, "MethodNotAllowed", `The requested resource does not support http method '${req.method}'.`);
    }
    const params = queryParameters(url.searchParams);
    checkApiVersion(params.get("api-version"));
    checkNamespace(params.get("metricnamespace"));
    switch (operation) {
      case "metricdefinitions":
        return metricDefinitions(DEMO_RESOURCE_ID);
      case "metricnamespaces":
        return metricNamespaces(DEMO_RESOURCE_ID);
      default:
        return this.metrics(params);
    }
  }

  private metrics(params: ReadonlyMap<string, string>): WireMetricsResponse {
    const now = this.now();
    const query = parseMetricsQuery(params, now);
    const visible = dataWindow(this.traffic.seed, now.getTime());
    const metrics = query.metricNames.map(knownMetric);
    const rolledUp = new Set(query.rollUpBy.map((d) => d.toLowerCase()));
    const split = splitDimensions(query.filter, metrics).filter((d) => !rolledUp.has(d.toLowerCase()));
    // Metadata answers carry no points: one bucket and an early stop make the 30-day deployment discovery cheap
    const metadata = query.resultType === "Metadata";
    const buckets = bucketsFor(query.start, query.end, metadata ? "FULL" : query.step);
    const results = collectSeries(this.traffic, this.hourly, metrics, query.filter, split, buckets, visible, metadata);
    return metricsResponse({ resourceId: DEMO_RESOURCE_ID, query, split, buckets, dataStart: visible.start, dataEnd: visible.end }, results);
  }

  /** Deterministic per simulator and request order, so recorded demo transcripts stay stable. */
  private nextRequestId(): string {
    this.served++;
    const hex = [1, 2, 3, 4].map((part) => hashKey(this.traffic.seed, this.served, part, 0).toString(16).padStart(8, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

function respond(status: number, requestId: string, body: string): SimulatorResponse {
  return { status, headers: { "content-type": "application/json", "x-ms-request-id": requestId }, body };
}

/** The SDK sends absolute URLs; tests and tools may send a path, possibly starting with `//`. */
function parseUrl(raw: string): URL {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(raw) ? new URL(raw) : new URL(MANAGEMENT_BASE + (raw.startsWith("/") ? raw : `/${raw}`));
  } catch {
    throw badRequest(`The request URL '${raw}' is not valid.`);
  }
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function checkApiVersion(version: string | undefined): void {
  if (version === undefined || version === "") {
    throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
  }
  if (!API_VERSIONS.includes(version)) {
    throw new ArmError(400, "InvalidApiVersionParameter", `The api-version '${version}' is invalid. The supported versions are '${API_VERSIONS.join(",")}'.`);
  }
}

function checkNamespace(namespace: string | undefined): void {
  if (namespace === undefined || namespace === "" || namespace.toLowerCase() === METRIC_NAMESPACE.toLowerCase()) return;
  throw badRequest(`Metric namespace '${namespace}' is not valid for resource type ${METRIC_NAMESPACE}. Valid namespaces: ${METRIC_NAMESPACE}.`);
}

function knownMetric(name: string): MetricInfo {
  const metric = findMetric(name);
  if (metric !== undefined) return metric;
  throw badRequest(
    `Failed to find metric configuration for provider: Microsoft.CognitiveServices, resource Type: accounts, metric: ${name}, Valid metrics: ${METRICS.map((m) => m.name).join(",")}`,
  );
}

/** Every filtered dimension must exist on every requested metric; `eq '*'` clauses name the split, in filter order. */
function splitDimensions(filter: readonly FilterClause[], metrics: readonly MetricInfo[]): Dimension[] {
  const split: Dimension[] = [];
  for (const clause of filter) {
    const wanted = clause.dimension.toLowerCase();
    const dimension = DIMENSIONS.find((d) => d.toLowerCase() === wanted);
    for (const metric of metrics) {
      if (dimension === undefined || !metric.dimensions.includes(dimension)) {
        throw badRequest(`Metric: ${metric.name} does not support requested dimension combination: ${clause.dimension}, supported ones are: ${metric.dimensions.join(",")}`);
      }
    }
    if (dimension !== undefined && clause.split && !split.includes(dimension)) split.push(dimension);
  }
  return split;
}
