// The metric catalog: every Azure Monitor metric the bot can answer from, as data.
// Source: Microsoft.CognitiveServices/accounts supported-metrics table (2026-07) and the
// 2023 seed document's table (kept answerable by name, flagged legacy).
// Adding a metric is one entry here; nothing else branches on metric names.

import type { FigureId, MetricAsk, StatusSelector } from "./question.ts";

export const AGGREGATIONS = ["Total", "Average", "Maximum", "Minimum", "Count"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export type MetricUnit = "Count" | "MilliSeconds" | "Percent" | "Bytes" | "CountPerSecond" | "Currency";

export const DIMENSIONS = [
  "ApiName",
  "OperationName",
  "Region",
  "StreamType",
  "ModelDeploymentName",
  "ModelName",
  "ModelVersion",
  "StatusCode",
  "IsSpillover",
  "ServiceTierRequest",
  "ServiceTierResponse",
  "RatelimitKey",
  "FeatureName",
  "UsageChannel",
  "TextType",
  "Category",
  "Severity",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface LegacyInfo {
  /** REST name of the metric that replaces this one. */
  readonly replacement: string;
  readonly note: string;
}

export interface MetricInfo {
  readonly name: string;
  readonly displayName: string;
  readonly unit: MetricUnit;
  readonly defaultAggregation: Aggregation;
  readonly aggregations: readonly Aggregation[];
  readonly dimensions: readonly Dimension[];
  readonly description: string;
  readonly legacy?: LegacyInfo;
  /** Said in every answer that uses this metric: what Azure counts, where it surprises. */
  readonly definition?: string;
}

const HTTP_DIMS = [
  "ApiName",
  "OperationName",
  "Region",
  "StreamType",
  "ModelDeploymentName",
  "ModelName",
  "ModelVersion",
  "StatusCode",
  "IsSpillover",
  "ServiceTierRequest",
  "ServiceTierResponse",
] as const satisfies readonly Dimension[];
const LATENCY_DIMS = ["Region", "ModelDeploymentName", "ModelName", "ModelVersion"] as const satisfies readonly Dimension[];
const USAGE_DIMS = ["ApiName", "ModelDeploymentName", "FeatureName", "UsageChannel", "Region", "ModelVersion"] as const satisfies readonly Dimension[];
const RAI_DIMS = ["Region", "ModelDeploymentName", "ModelName", "ModelVersion", "ApiName", "TextType", "Category"] as const satisfies readonly Dimension[];
const LEGACY_DIMS = ["ApiName", "OperationName", "Region", "RatelimitKey"] as const satisfies readonly Dimension[];
const MIN_MAX_AVG = ["Average", "Maximum", "Minimum", "Count"] as const satisfies readonly Aggregation[];
const TOTAL_ONLY = ["Total", "Count"] as const satisfies readonly Aggregation[];
const ALL_AGGS = ["Total", "Average", "Maximum", "Minimum", "Count"] as const satisfies readonly Aggregation[];

const legacy = (replacement: string): LegacyInfo => ({
  replacement,
  note: `a legacy Cognitive Services metric Microsoft marks "Do not use for Azure OpenAI service"; ${replacement} replaces it`,
});

export const METRICS: readonly MetricInfo[] = [
  // Azure OpenAI - HTTP Requests
  { name: "AzureOpenAIRequests", displayName: "Azure OpenAI Requests", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: HTTP_DIMS, description: "Number of calls made to the Azure OpenAI API, by status code." },
  { name: "AzureOpenAIAvailabilityRate", displayName: "Availability Rate", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: ["ApiName", "OperationName", "Region", "StreamType", "ModelDeploymentName", "ModelName", "ModelVersion"], description: "Availability: (total calls - server errors) / total calls.", definition: "Availability is Azure's AzureOpenAIAvailabilityRate: (all calls − 5xx) ÷ all calls, so it counts 429s as available. Ask \"success rate\" for 2xx ÷ all calls." },
  // Azure OpenAI - Latency
  { name: "AzureOpenAITimeToResponse", displayName: "Time to Response", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: ["ApiName", "OperationName", "Region", "StreamType", "ModelDeploymentName", "ModelName", "ModelVersion", "StatusCode"], description: "Recommended latency measure: time until the first response, measured at the gateway." },
  { name: "AzureOpenAINormalizedTTFTInMS", displayName: "Normalized Time to First Byte", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Time to the first token, normalised by prompt size." },
  { name: "AzureOpenAINormalizedTBTInMS", displayName: "Normalized Time Between Tokens", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Time between tokens of a streamed response." },
  { name: "AzureOpenAITTLTInMS", displayName: "Time to Last Byte", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Time until the last byte of the response." },
  { name: "AzureOpenAITokenPerSecond", displayName: "Tokens Per Second", unit: "Count", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Generation speed of responses." },
  // Azure OpenAI - Usage
  { name: "ProcessedPromptTokens", displayName: "Processed Prompt Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: USAGE_DIMS, description: "Prompt (input) tokens processed." },
  { name: "GeneratedTokens", displayName: "Generated Completion Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: USAGE_DIMS, description: "Completion (output) tokens generated." },
  { name: "TokenTransaction", displayName: "Processed Inference Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: USAGE_DIMS, description: "Prompt plus completion tokens processed." },
  { name: "ActiveTokens", displayName: "Active Tokens", unit: "Count", defaultAggregation: "Total", aggregations: ALL_AGGS, dimensions: LATENCY_DIMS, description: "Tokens counted against a provisioned (PTU) deployment's throughput, cached tokens excluded." },
  { name: "AzureOpenAIProvisionedManagedUtilizationV2", displayName: "Provisioned-managed Utilization V2", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: ["Region", "StreamType", "ModelDeploymentName", "ModelName", "ModelVersion"], description: "Utilisation of a provisioned deployment; at 100% requests get 429." },
  { name: "AzureOpenAIProvisionedManagedUtilization", displayName: "Provisioned-managed Utilization (deprecated)", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: ["Region", "StreamType", "ModelDeploymentName", "ModelName", "ModelVersion"], description: "Deprecated utilisation metric of provisioned deployments.", legacy: { replacement: "AzureOpenAIProvisionedManagedUtilizationV2", note: "deprecated by Microsoft; AzureOpenAIProvisionedManagedUtilizationV2 replaces it" } },
  { name: "AzureOpenAIContextTokensCacheMatchRate", displayName: "Prompt Token Cache Match Rate", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Share of prompt tokens served from the cache (provisioned deployments)." },
  { name: "FineTunedTrainingHours", displayName: "Processed FineTuned Training Hours", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: ["ApiName", "ModelDeploymentName", "FeatureName", "UsageChannel", "Region"], description: "Training hours processed on fine-tuned models." },
  // ContentSafety - Risks & Safety
  { name: "RAIRejectedRequests", displayName: "Blocked Volume", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: RAI_DIMS, description: "Requests rejected by the content filter." },
  { name: "RAIHarmfulRequests", displayName: "Harmful Volume Detected", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: [...RAI_DIMS, "Severity"], description: "Requests in which harmful content was detected." },
  // Legacy Cognitive Services - HTTP Requests (the 2023 seed table)
  { name: "BlockedCalls", displayName: "Blocked Calls", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Calls that exceeded rate or quota limit.", legacy: legacy("AzureOpenAIRequests") },
  { name: "ClientErrors", displayName: "Client Errors", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Calls with a client-side error (HTTP 4xx).", legacy: legacy("AzureOpenAIRequests") },
  { name: "DataIn", displayName: "Data In", unit: "Bytes", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: ["ApiName", "OperationName", "Region"], description: "Size of incoming data in bytes.", legacy: legacy("ProcessedPromptTokens") },
  { name: "DataOut", displayName: "Data Out", unit: "Bytes", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: ["ApiName", "OperationName", "Region"], description: "Size of outgoing data in bytes.", legacy: legacy("GeneratedTokens") },
  { name: "Latency", displayName: "Latency", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LEGACY_DIMS, description: "Latency in milliseconds.", legacy: legacy("AzureOpenAITimeToResponse") },
  { name: "Ratelimit", displayName: "Ratelimit", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: ["Region", "RatelimitKey"], description: "The current rate limit of the rate limit key.", legacy: legacy("AzureOpenAIRequests") },
  { name: "ServerErrors", displayName: "Server Errors", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Calls with a service internal error (HTTP 5xx).", legacy: legacy("AzureOpenAIRequests") },
  { name: "SuccessfulCalls", displayName: "Successful Calls", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Number of successful calls.", legacy: legacy("AzureOpenAIRequests") },
  { name: "TotalCalls", displayName: "Total Calls", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Total number of calls.", legacy: legacy("AzureOpenAIRequests") },
  { name: "TotalErrors", displayName: "Total Errors", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: LEGACY_DIMS, description: "Calls with an error response (HTTP 4xx or 5xx).", legacy: legacy("AzureOpenAIRequests") },
];

/**
 * The cross-provider "Models" family that AIServices (Foundry) resources report next to the Azure
 * OpenAI one or instead of it (metric-families.ts maps each to its Azure OpenAI equivalent). Kept
 * apart from METRICS, which is what an Azure OpenAI account reports (and the demo simulates).
 * Dimensions as "Monitor model deployments in Azure AI model inference" (Microsoft Learn) lists them;
 * NormalizedTimeToFirstToken, TimeToLastByte and TokensPerSecond are not listed there, so they are
 * assumed to have their Azure OpenAI equivalents' dimensions (LATENCY_DIMS).
 */
const MODELS_HTTP_DIMS = ["ApiName", "OperationName", "Region", "StreamType", "ModelDeploymentName", "ModelName", "ModelVersion"] as const satisfies readonly Dimension[];
const MODELS_USAGE_DIMS = ["ApiName", "Region", "ModelDeploymentName", "ModelName", "ModelVersion"] as const satisfies readonly Dimension[];

export const MODELS_METRICS: readonly MetricInfo[] = [
  // Models - Requests
  { name: "ModelRequests", displayName: "Model Requests", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: [...MODELS_HTTP_DIMS, "StatusCode"], description: "Number of calls made to the model inference API, by status code (Models family)." },
  { name: "ModelAvailabilityRate", displayName: "Model Availability Rate", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: MODELS_HTTP_DIMS, description: "Availability: (total calls - server errors) / total calls (Models family).", definition: "Availability is Azure's ModelAvailabilityRate: (all calls − 5xx) ÷ all calls, so it counts 429s as available. Ask \"success rate\" for 2xx ÷ all calls." },
  // Models - Latency
  { name: "TimeToResponse", displayName: "Time To Response", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: [...MODELS_HTTP_DIMS, "StatusCode"], description: "Time until the first response, measured at the gateway (Models family; documented for PTU and PTU-managed deployments)." },
  { name: "NormalizedTimeToFirstToken", displayName: "Normalized Time To First Token", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Time to the first token, normalised by prompt size (Models family)." },
  { name: "NormalizedTimeBetweenTokens", displayName: "Normalized Time Between Tokens", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: MODELS_HTTP_DIMS, description: "Time between tokens of a streamed response (Models family)." },
  { name: "TimeToLastByte", displayName: "Time To Last Byte", unit: "MilliSeconds", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Time until the last byte of the response (Models family)." },
  { name: "TokensPerSecond", displayName: "Tokens Per Second", unit: "Count", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Generation speed of responses (Models family)." },
  // Models - Usage
  { name: "InputTokens", displayName: "Input Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: MODELS_USAGE_DIMS, description: "Prompt (input) tokens processed (Models family)." },
  { name: "OutputTokens", displayName: "Output Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: MODELS_USAGE_DIMS, description: "Completion (output) tokens generated (Models family)." },
  { name: "TotalTokens", displayName: "Total Tokens", unit: "Count", defaultAggregation: "Total", aggregations: TOTAL_ONLY, dimensions: MODELS_USAGE_DIMS, description: "Input plus output tokens processed (Models family)." },
  { name: "ProvisionedUtilization", displayName: "Provisioned Utilization", unit: "Percent", defaultAggregation: "Average", aggregations: MIN_MAX_AVG, dimensions: LATENCY_DIMS, description: "Utilisation of a provisioned deployment (PTUs consumed ÷ PTUs deployed); at 100% requests get 429 (Models family)." },
];

const BY_LOWER_NAME = new Map([...METRICS, ...MODELS_METRICS].map((m) => [m.name.toLowerCase(), m]));
/** Names as the catalog spells them (planning looks its own names up many times per question); each finds what its lower case finds. */
const BY_NAME = new Map([...BY_LOWER_NAME.values()].map((m) => [m.name, m]));

export function findMetric(name: string): MetricInfo | undefined {
  return BY_NAME.get(name) ?? BY_LOWER_NAME.get(name.toLowerCase());
}

export function metric(name: string): MetricInfo {
  const found = findMetric(name);
  if (!found) throw new Error(`metric ${name} is not in the catalog`);
  return found;
}

/**
 * Derived figures: one meaning each, computed the same way by chat answers, the daily summary and
 * condition reports. `share`: numerator series ÷ every series of `metric`, as %; `per-minute`: the
 * window total ÷ its covered minutes; `peak-minute`: the largest PT1M value, with its minute.
 */
export type FigureKind = "share" | "per-minute" | "peak-minute";

export interface FigureInfo {
  readonly id: FigureId;
  readonly label: string;
  readonly unit: MetricUnit;
  readonly kind: FigureKind;
  /** The metric the figure is computed from, and the aggregation fetched. */
  readonly metric: string;
  readonly aggregation: Aggregation;
  /** share: the status codes counted on top (the denominator is every call). */
  readonly numerator?: StatusSelector;
  /** How it is computed, as provenance shows it. */
  readonly formula: string;
}

export const FIGURES: readonly FigureInfo[] = [
  { id: "success-rate", label: "Success rate", unit: "Percent", kind: "share", metric: "AzureOpenAIRequests", aggregation: "Total", numerator: { kind: "class", prefixes: ["2"], label: "2xx" }, formula: "2xx calls ÷ all calls × 100 (AzureOpenAIRequests Total, split by StatusCode)" },
  { id: "error-rate", label: "Error rate", unit: "Percent", kind: "share", metric: "AzureOpenAIRequests", aggregation: "Total", numerator: { kind: "class", prefixes: ["4", "5"], label: "4xx + 5xx" }, formula: "(4xx + 5xx) calls ÷ all calls × 100 (AzureOpenAIRequests Total, split by StatusCode)" },
  { id: "throttle-rate", label: "Throttle rate", unit: "Percent", kind: "share", metric: "AzureOpenAIRequests", aggregation: "Total", numerator: { kind: "class", prefixes: ["429"], label: "429" }, formula: "429 calls ÷ all calls × 100 (AzureOpenAIRequests Total, split by StatusCode)" },
  { id: "rpm", label: "Requests per minute (average)", unit: "Count", kind: "per-minute", metric: "AzureOpenAIRequests", aggregation: "Total", formula: "AzureOpenAIRequests Total ÷ minutes of the window with data" },
  { id: "rpm-peak", label: "Peak requests per minute", unit: "Count", kind: "peak-minute", metric: "AzureOpenAIRequests", aggregation: "Total", formula: "largest per-minute AzureOpenAIRequests Total (PT1M points, all series added up)" },
  { id: "tpm", label: "Tokens per minute (average)", unit: "Count", kind: "per-minute", metric: "TokenTransaction", aggregation: "Total", formula: "TokenTransaction Total ÷ minutes of the window with data" },
  { id: "tpm-peak", label: "Peak tokens per minute", unit: "Count", kind: "peak-minute", metric: "TokenTransaction", aggregation: "Total", formula: "largest per-minute TokenTransaction Total (PT1M points, all series added up)" },
  { id: "latency-peak-minute", label: "Slowest minute of time to response", unit: "MilliSeconds", kind: "peak-minute", metric: "AzureOpenAITimeToResponse", aggregation: "Average", formula: "largest per-minute Σ(average×count)/Σcount of AzureOpenAITimeToResponse (PT1M points)" },
];

const FIGURE_BY_ID = new Map(FIGURES.map((f) => [f.id, f]));

export function figureInfo(id: FigureId): FigureInfo {
  const f = FIGURE_BY_ID.get(id);
  if (!f) throw new Error(`figure ${id} is not in the catalog`);
  return f;
}

/** The ask that answers a derived figure: its metric, aggregation, label and (for shares) numerator. */
export function figureAsk(id: FigureId): MetricAsk {
  const f = figureInfo(id);
  return { metric: f.metric, aggregation: f.aggregation, label: f.label, figure: f.id, ...(f.numerator ? { status: f.numerator } : {}) };
}

/**
 * Estimated spend: each deployment's prompt and completion tokens priced by the model it runs (the
 * price table comes from the configuration, per 1M tokens). Token metrics have no ModelName
 * dimension, so the model of each deployment is read from `modelMetric` split by both.
 */
export const SPEND_ESTIMATE = {
  topic: "Estimated cost (from token counts × configured prices; not your bill)",
  label: "Estimated cost",
  unit: "Currency",
  inputMetric: "ProcessedPromptTokens",
  outputMetric: "GeneratedTokens",
  modelMetric: "AzureOpenAIRequests",
  formula: "Σ over deployments of ProcessedPromptTokens ÷ 1,000,000 × input price + GeneratedTokens ÷ 1,000,000 × output price, prices per 1M tokens of the deployment's model from `prices:` (model from AzureOpenAIRequests by ModelDeploymentName and ModelName)",
} as const satisfies { readonly unit: MetricUnit } & Readonly<Record<string, string>>;

export const METRIC_NAMESPACE = "Microsoft.CognitiveServices/accounts";
