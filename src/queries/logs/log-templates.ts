// The vetted KQL templates, as a table: what each one answers is fixed text; only bound values vary,
// and each is validated before it is bound. Deployment names and resource ids enter as string
// literals (kql-literal.ts); percentiles, stream types and status codes come from allow-lists; limits
// are integers in range; time bounds are datetime() of the Dates the planner resolved, never text a
// person typed. All AOAI log categories land in AzureDiagnostics (legacy mode; there is no
// resource-specific table), with deployment, model and stream type inside properties_s.
import { InvalidWindowError } from "../errors.ts";
import type { ColumnType, ResultColumn } from "../table-answer.ts";
import type { LogQuestion, LogTemplateId } from "../table-questions.ts";
import { inWindow, iso } from "../time-window.ts";
import { KQL_MASKED_CALLER } from "./caller-ip.ts";
import { kqlString, kqlStringList } from "./kql-literal.ts";
import { InvalidLogParameterError } from "./log-errors.ts";

/** The templates this table holds ("absence" is answered by its own module). */
export type TableTemplateId = Exclude<LogTemplateId, "absence">;

export type StatusFilter = NonNullable<LogQuestion["status"]>;

/** What a template is asked with, before validation. */
export interface LogTemplateParams {
  readonly resourceIds: readonly string[];
  readonly start: Date;
  readonly end: Date;
  readonly deployments?: readonly string[];
  readonly percentiles?: readonly number[];
  readonly streamType?: string;
  readonly limit?: number;
  readonly status?: StatusFilter;
}

/**
 * The values a template was bound with, validated and JSON-able: `LogsRequest.template.params`
 * (the demo answers a template from these). Only the parameters the template accepts are present.
 */
export interface BoundLogParams {
  readonly resourceIds: readonly string[];
  /** ISO instants, from the planner's Dates. */
  readonly start: string;
  readonly end: string;
  readonly deployments: readonly string[];
  readonly percentiles?: readonly number[];
  readonly streamType?: StreamType;
  readonly limit?: number;
  readonly status?: StatusFilter;
}

export type TemplateParam = "deployments" | "percentiles" | "streamType" | "limit" | "status";

export interface LogTemplate {
  readonly title: string;
  /** Which optional parameters it takes; others asked are ignored (and said so). */
  readonly accepts: readonly TemplateParam[];
  readonly columns: (b: BoundLogParams) => readonly ResultColumn[];
  /** Validates `params` and returns the query (throws InvalidLogParameterError / InvalidFilterValueError / InvalidWindowError). */
  readonly build: (params: LogTemplateParams) => string;
  /** Said instead of an empty table: `who` names the deployments asked, `window` the window's label. */
  readonly empty: (b: BoundLogParams, who: string, window: string) => string;
  readonly notes: readonly string[];
}

/** Percentiles people ask for; anything else is refused rather than rounded to one of them. */
export const PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;
export const DEFAULT_PERCENTILES = [50, 95, 99] as const;

/** properties_s.streamType as the service logs it. */
export const STREAM_TYPES = ["Streaming", "Non-Streaming"] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;

/** The Azure OpenAI rows in a table, over the window, on the asked resources. */
function head(table: string, b: BoundLogParams, category?: string): string[] {
  return [
    table,
    `| where TimeGenerated >= datetime(${b.start}) and TimeGenerated < datetime(${b.end})`,
    `| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES"${category === undefined ? "" : ` and Category == ${kqlString(category)}`}`,
    `| where _ResourceId in~ ${kqlStringList(b.resourceIds)}`,
  ];
}

const DEPLOYMENT = "| extend deployment = tostring(parse_json(properties_s).modelDeploymentName)";
const deploymentFilter = (b: BoundLogParams) => (b.deployments.length > 0 ? [`| where deployment in~ ${kqlStringList(b.deployments)}`] : []);
const statusTest = (s: StatusFilter) => (s.kind === "exact" ? `ResultSignature == ${kqlString(s.code)}` : `ResultSignature startswith ${kqlString(s.prefix)}`);
const statusFilter = (b: BoundLogParams) => (b.status === undefined ? [] : [`| where ${statusTest(b.status)}`]);
const statusColumn = (s: StatusFilter) => (s.kind === "exact" ? `status_${s.code}` : `status_${s.prefix}xx`);
const NOT_LIST = '| where OperationName !has "_List"';
const FAILED = '| where not(ResultSignature startswith "2")';

/** p95_ms, p99_9_ms. */
export function percentileColumn(p: number): string {
  return `p${String(p).replace(".", "_")}_ms`;
}

const col = (name: string, type: ColumnType): ResultColumn => ({ name, type });
const limitOf = (b: BoundLogParams) => b.limit ?? DEFAULT_LIMIT;
const resourcesOf = (b: BoundLogParams) => b.resourceIds.map((id) => id.split("/").filter((s) => s !== "").pop() ?? id).join(", ");

interface TemplateSpec extends Omit<LogTemplate, "build"> {
  readonly kql: (b: BoundLogParams) => readonly string[];
}

const SPECS: Readonly<Record<TableTemplateId, TemplateSpec>> = {
  percentiles: {
    title: "Latency percentiles from the request logs",
    accepts: ["deployments", "percentiles", "streamType"],
    columns: (b) => [col("deployment", "string"), col("streamType", "string"), col("calls", "long"), ...(b.percentiles ?? []).map((p) => col(percentileColumn(p), "real"))],
    kql: (b) => [
      ...head("AzureDiagnostics", b, "RequestResponse"),
      NOT_LIST,
      // latency means successful calls, as in the metric answers
      '| where ResultSignature startswith "2"',
      "| extend p = parse_json(properties_s)",
      "| extend deployment = tostring(p.modelDeploymentName), streamType = tostring(p.streamType)",
      ...deploymentFilter(b),
      ...(b.streamType === undefined ? [] : [`| where streamType == ${kqlString(b.streamType)}`]),
      `| summarize calls = count(), ${(b.percentiles ?? []).map((p) => `${percentileColumn(p)} = percentile(DurationMs, ${String(p)})`).join(", ")} by deployment, streamType`,
      "| order by deployment asc, streamType asc",
    ],
    empty: (b, who, window) => `No RequestResponse rows for ${who} (successful${b.streamType === undefined ? "" : ` ${b.streamType}`} calls) ${inWindow(window)}.`,
    notes: ["DurationMs is the whole call as the service logged it: for streaming calls it runs until the stream ends, so it is not the time to first token (the time-to-response metric measures that)."],
  },
  "errors-by-deployment": {
    title: "Errors and 429s by deployment from the request logs",
    accepts: ["deployments", "status"],
    columns: (b) => [col("deployment", "string"), col("calls", "long"), col("throttled_429", "long"), col("client_errors_4xx", "long"), col("server_errors_5xx", "long"), ...(b.status === undefined ? [] : [col(statusColumn(b.status), "long")])],
    kql: (b) => [
      ...head("AzureDiagnostics", b, "RequestResponse"),
      NOT_LIST,
      DEPLOYMENT,
      ...deploymentFilter(b),
      // error rows may lack the deployment: counted under the account (Resource is its upper-case name)
      "| extend deployment = iff(isempty(deployment), Resource, deployment)",
      `| summarize calls = count(), throttled_429 = countif(ResultSignature == "429"), client_errors_4xx = countif(ResultSignature startswith "4"), server_errors_5xx = countif(ResultSignature startswith "5")${b.status === undefined ? "" : `, ${statusColumn(b.status)} = countif(${statusTest(b.status)})`} by deployment`,
      `| order by ${b.status === undefined ? "" : `${statusColumn(b.status)} desc, `}throttled_429 desc, server_errors_5xx desc, client_errors_4xx desc, deployment asc`,
    ],
    empty: (_b, who, window) => `No RequestResponse rows for ${who} ${inWindow(window)}.`,
    notes: ["client_errors_4xx includes the 429s.", "Rows that logged no deployment are counted under the account name."],
  },
  "error-codes": {
    title: "Top error codes from the request logs",
    accepts: ["deployments", "limit", "status"],
    columns: () => [col("ResultSignature", "string"), col("calls", "long"), col("last_seen", "datetime")],
    kql: (b) => [
      ...head("AzureDiagnostics", b, "RequestResponse"),
      FAILED,
      DEPLOYMENT,
      ...deploymentFilter(b),
      ...statusFilter(b),
      "| summarize calls = count(), last_seen = max(TimeGenerated) by ResultSignature",
      `| top ${String(limitOf(b))} by calls desc`,
    ],
    empty: (_b, who, window) => `No failed requests (non-2xx RequestResponse rows) for ${who} ${inWindow(window)}.`,
    notes: [],
  },
  "failed-requests": {
    title: "Latest failed requests from the request logs",
    accepts: ["deployments", "limit", "status"],
    columns: () => [col("TimeGenerated", "datetime"), col("OperationName", "string"), col("ResultSignature", "string"), col("DurationMs", "real"), col("CorrelationId", "string"), col("deployment", "string")],
    kql: (b) => [
      ...head("AzureDiagnostics", b, "RequestResponse"),
      FAILED,
      DEPLOYMENT,
      ...deploymentFilter(b),
      ...statusFilter(b),
      `| top ${String(limitOf(b))} by TimeGenerated desc`,
      "| project TimeGenerated, OperationName, ResultSignature, DurationMs, CorrelationId, deployment",
    ],
    empty: (_b, who, window) => `No failed requests (non-2xx RequestResponse rows) for ${who} ${inWindow(window)}.`,
    notes: [],
  },
  callers: {
    title: "Top callers from the request logs",
    accepts: ["deployments", "limit"],
    columns: () => [col("CallerIPAddress", "string"), col("calls", "long"), col("errors", "long"), col("throttled_429", "long")],
    kql: (b) => [
      ...head("AzureDiagnostics", b, "RequestResponse"),
      NOT_LIST,
      DEPLOYMENT,
      ...deploymentFilter(b),
      `| extend CallerIPAddress = ${KQL_MASKED_CALLER}`,
      '| summarize calls = count(), errors = countif(not(ResultSignature startswith "2")), throttled_429 = countif(ResultSignature == "429") by CallerIPAddress',
      `| top ${String(limitOf(b))} by calls desc`,
    ],
    empty: (_b, who, window) => `No RequestResponse rows for ${who} ${inWindow(window)}.`,
    notes: ["Caller addresses as Azure logs them, last octet masked (81.2.69.***)."],
  },
  // The starter queries from Microsoft's "Monitor Azure OpenAI" page, with the projection kept and the
  // rows narrowed to the asked resources and window. The sample keeps every category the resource
  // sends (Audit, RequestResponse, Trace, usage…): seeing which ones arrive is what it is for.
  sample: {
    title: "Sample of the resource log rows",
    accepts: [],
    columns: () => [col("TimeGenerated", "datetime"), col("_ResourceId", "string"), col("Category", "string"), col("OperationName", "string"), col("DurationMs", "real"), col("ResultSignature", "string"), col("properties_s", "string")],
    kql: (b) => [...head("AzureDiagnostics", b), "| take 100", "| project TimeGenerated, _ResourceId, Category, OperationName, DurationMs, ResultSignature, properties_s"],
    empty: (b, _who, window) => `No AzureDiagnostics rows from ${resourcesOf(b)} ${inWindow(window)}.`,
    notes: ["take 100 returns any 100 rows of the window, not the latest ones."],
  },
  "azure-metrics": {
    title: "Platform metrics exported to the workspace",
    accepts: [],
    columns: () => [col("TimeGenerated", "datetime"), col("MetricName", "string"), col("Total", "real"), col("Count", "real"), col("TimeGrain", "string"), col("UnitName", "string")],
    kql: (b) => [...head("AzureMetrics", b), "| take 100", "| project TimeGenerated, MetricName, Total, Count, TimeGrain, UnitName"],
    empty: (b, _who, window) => `No AzureMetrics rows from ${resourcesOf(b)} ${inWindow(window)}: metrics reach the workspace only when a diagnostic setting exports AllMetrics.`,
    notes: ["AzureMetrics rows have no dimensions (no deployment, no status code)."],
  },
};

function vetted(id: TableTemplateId): LogTemplate {
  const { kql, ...rest } = SPECS[id];
  return { ...rest, build: (params) => kql(bindLogParams(id, params)).join("\n") };
}

/** Every table template by id: title, columns, validated builder, empty-result wording, notes. */
export const LOG_TEMPLATES: Readonly<Record<TableTemplateId, LogTemplate>> = {
  percentiles: vetted("percentiles"),
  "errors-by-deployment": vetted("errors-by-deployment"),
  "error-codes": vetted("error-codes"),
  "failed-requests": vetted("failed-requests"),
  callers: vetted("callers"),
  sample: vetted("sample"),
  "azure-metrics": vetted("azure-metrics"),
};

export function isTableTemplate(id: LogTemplateId): id is TableTemplateId {
  return Object.hasOwn(SPECS, id);
}

/** Validates what `id` is asked with and returns the values it binds (throws a UserError naming the bad value). */
export function bindLogParams(id: TableTemplateId, params: LogTemplateParams): BoundLogParams {
  const accepts = new Set(SPECS[id].accepts);
  if (params.resourceIds.length === 0) throw new InvalidLogParameterError("A log query needs at least one Azure OpenAI resource to read.");
  // binding each id now refuses an unquotable one before anything is planned
  params.resourceIds.forEach(kqlString);
  const deployments = accepts.has("deployments") ? [...new Set(params.deployments ?? [])] : [];
  deployments.forEach(kqlString);
  return {
    resourceIds: params.resourceIds,
    ...timeBounds(params.start, params.end),
    deployments,
    ...(accepts.has("percentiles") ? { percentiles: percentilesOf(params.percentiles) } : {}),
    ...(accepts.has("streamType") && params.streamType !== undefined ? { streamType: streamTypeOf(params.streamType) } : {}),
    ...(accepts.has("limit") ? { limit: limitOfParam(params.limit) } : {}),
    ...(accepts.has("status") && params.status !== undefined ? { status: statusOf(params.status) } : {}),
  };
}

function timeBounds(start: Date, end: Date): { start: string; end: string } {
  if (!(start instanceof Date) || !(end instanceof Date) || !Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime())) {
    throw new InvalidWindowError("The log query's time window is not a valid pair of instants.");
  }
  if (end <= start) throw new InvalidWindowError("The time range ends before it starts.", { hint: "Put the earlier time first." });
  return { start: iso(start), end: iso(end) };
}

function percentilesOf(asked: readonly number[] | undefined): number[] {
  if (asked === undefined || asked.length === 0) return [...DEFAULT_PERCENTILES];
  const allowed: readonly number[] = PERCENTILES;
  const bad = asked.find((p) => !allowed.includes(p));
  if (bad !== undefined) {
    throw new InvalidLogParameterError(`p${String(bad)} is not one of the percentiles the log query computes.`, { hint: `Ask for ${PERCENTILES.map((p) => `p${String(p)}`).join(", ")}.` });
  }
  return [...new Set(asked)].sort((a, b) => a - b);
}

function streamTypeOf(asked: string): StreamType {
  const found = STREAM_TYPES.find((s) => s.toLowerCase() === asked.trim().toLowerCase());
  if (found === undefined) {
    throw new InvalidLogParameterError(`"${asked.replace(/[^\x20-\x7e]/g, "?").slice(0, 40)}" is not a stream type the request logs record.`, { hint: `Use ${STREAM_TYPES.join(" or ")}.` });
  }
  return found;
}

function limitOfParam(asked: number | undefined): number {
  if (asked === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_LIMIT) {
    throw new InvalidLogParameterError(`${String(asked)} is not a row count the log templates take.`, { hint: `Ask for 1 to ${MAX_LIMIT} rows, e.g. "last 10 failed requests".` });
  }
  return asked;
}

function statusOf(asked: StatusFilter): StatusFilter {
  if (asked.kind === "exact" && /^[1-5]\d\d$/.test(asked.code)) return { kind: "exact", code: asked.code };
  if (asked.kind === "class" && /^[1-5]$/.test(asked.prefix)) return { kind: "class", prefix: asked.prefix };
  const shown = (asked.kind === "exact" ? asked.code : `${asked.prefix}xx`).replace(/[^\x20-\x7e]/g, "?").slice(0, 20);
  throw new InvalidLogParameterError(`"${shown}" is not an HTTP status the request logs record.`, { hint: 'Use a code such as 429 or 503, or a class such as "5xx".' });
}
