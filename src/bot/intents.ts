// What people say → which metrics answer it. A table: adding a phrasing or an intent is a row here.
import { figureAsk, type Aggregation, type Dimension } from "../queries/catalog.ts";
import type { MetricAsk } from "../queries/question.ts";

export interface Intent {
  readonly id: string;
  readonly topic: string;
  /** Lower-case phrases, matched on word boundaries, longest first. */
  readonly phrases: readonly string[];
  readonly asks: readonly MetricAsk[];
  /** When one of these intents is also named, this one steps aside (e.g. "blocked" + "429"); "any": any other intent. */
  readonly yieldsTo?: readonly string[] | "any";
  /** Split applied when the person asked for none (an overview reads best per deployment). */
  readonly defaultSplit?: Dimension;
  /** Said in the answer whenever this intent is used. */
  readonly note?: string;
  /** Whether "max", "average"... may change the aggregation. */
  readonly fixedAggregation?: boolean;
  /** The asks are priced into an estimate (spend-plan.ts), not shown as themselves. */
  readonly estimate?: "spend";
  /** The answer leads with a verdict (verdict.ts), asked over every deployment; named deployments are its focus. */
  readonly verdict?: boolean;
  /** The intent that answers this one as a share when "rate", "%", "percent", "share"... is said with it ("throtle rate", "% errors"). */
  readonly share?: string;
  /** The intent that answers this one when "peak"/"max" is said with it ("peak req/min"). */
  readonly peak?: string;
}

const throttled: MetricAsk = { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Rate-limited calls (429)", status: { kind: "exact", code: "429" } };
const contentFiltered: MetricAsk = { metric: "RAIRejectedRequests", aggregation: "Total", label: "Content-filter blocks" };
const errors: MetricAsk = { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Errors (4xx + 5xx)", status: { kind: "class", prefixes: ["4", "5"], label: "4xx + 5xx" } };
const serverErrors: MetricAsk = { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Server errors (5xx)", status: { kind: "class", prefixes: ["5"], label: "5xx" } };
const prompt: MetricAsk = { metric: "ProcessedPromptTokens", aggregation: "Total", label: "Prompt tokens" };
const completion: MetricAsk = { metric: "GeneratedTokens", aggregation: "Total", label: "Completion tokens" };

export const INTENTS: readonly Intent[] = [
  { id: "latency", topic: "Latency", phrases: ["latency", "latencies", "slow", "slowest", "fastest", "slowness", "response time", "response times", "time to response", "how fast", "speed", "lag", "duration", "laggy", "slower", "faster"], asks: [{ metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Time to response" }] },
  { id: "ttft", topic: "Time to first token", phrases: ["time to first token", "time to first byte", "ttft", "first token", "first byte", "ttfb"], asks: [{ metric: "AzureOpenAINormalizedTTFTInMS", aggregation: "Average", label: "Time to first token" }] },
  { id: "tbt", topic: "Time between tokens", phrases: ["time between tokens", "tbt", "inter token latency", "inter-token latency", "token latency"], asks: [{ metric: "AzureOpenAINormalizedTBTInMS", aggregation: "Average", label: "Time between tokens" }] },
  { id: "ttlt", topic: "Time to last byte", phrases: ["time to last byte", "time to last token", "ttlt", "last byte", "end to end time"], asks: [{ metric: "AzureOpenAITTLTInMS", aggregation: "Average", label: "Time to last byte" }] },
  { id: "tps", topic: "Tokens per second", phrases: ["tokens per second", "token per second", "tokens/s", "tokens/sec", "tok/s", "generation speed", "tps", "output speed"], asks: [{ metric: "AzureOpenAITokenPerSecond", aggregation: "Average", label: "Tokens per second" }] },
  { id: "throttled", topic: "Rate limiting (429)", phrases: ["429", "429s", "429's", "throttled", "throttling", "throttle", "throttles", "rate limited", "rate-limited", "ratelimited", "rate limit", "rate limits", "rate limiting", "too many requests"], asks: [throttled], share: "throttle-rate" },
  { id: "content-filter", topic: "Content-filter blocks", phrases: ["content filter", "content filters", "content-filter", "content filtered", "content filtering", "filtered", "content safety", "rai", "moderation", "jailbreak", "jailbreaks"], asks: [contentFiltered] },
  { id: "blocked", topic: "Blocked calls", phrases: ["blocked", "blocks", "block", "rejected", "rejections", "denied"], asks: [throttled, contentFiltered], yieldsTo: ["throttled", "content-filter"], note: '"Blocked" can mean rate-limited (429) or stopped by the content filter: both are shown. Ask "429s" or "content filter blocks" for one.' },
  { id: "harmful", topic: "Harmful content detected", phrases: ["harmful", "harmful content", "harm", "unsafe"], asks: [{ metric: "RAIHarmfulRequests", aggregation: "Total", label: "Harmful requests detected" }] },
  { id: "errors", topic: "Errors", phrases: ["errors", "error", "failures", "failure", "failed", "fails", "non-2xx", "4xx or 5xx", "erroring"], asks: [errors], share: "error-rate", yieldsTo: ["server-errors", "client-errors", "throttled"] },
  { id: "server-errors", topic: "Server errors (5xx)", phrases: ["5xx", "5xxs", "server errors", "server error", "internal errors", "outage", "outages"], asks: [serverErrors] },
  { id: "client-errors", topic: "Client errors (4xx)", phrases: ["4xx", "4xxs", "client errors", "client error", "bad requests"], asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Client errors (4xx)", status: { kind: "class", prefixes: ["4"], label: "4xx" } }] },
  { id: "successful", topic: "Successful calls", phrases: ["successful", "successes", "succeeded", "2xx", "successful calls", "ok calls"], share: "success-rate", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Successful calls (2xx)", status: { kind: "class", prefixes: ["2"], label: "2xx" } }] },
  { id: "requests", topic: "Requests", phrases: ["traffic", "volume", "load", "hits", "invocations", "busiest", "busy", "how busy"], asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }] },
  // "calls"/"requests" mostly qualify another signal ("blocked calls", "throttled requests"); alone they mean requests
  { id: "calls", topic: "Requests", phrases: ["calls", "call", "api calls", "requests", "request", "reqs", "responses"], asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], yieldsTo: "any" },
  // Azure's availability counts 429s as available: its own figure, never what "success rate" means
  { id: "availability", topic: "Availability", phrases: ["availability", "available", "uptime", "reliability", "sla"], asks: [{ metric: "AzureOpenAIAvailabilityRate", aggregation: "Average", label: "Availability" }] },
  { id: "success-rate", topic: "Success rate", phrases: ["success rate", "success rates", "success ratio", "success percentage", "percent successful", "share successful"], asks: [figureAsk("success-rate")], fixedAggregation: true },
  { id: "error-rate", topic: "Error rate", phrases: ["error rate", "error rates", "failure rate", "failure rates", "error ratio", "error percentage", "percent errors", "share of errors"], asks: [figureAsk("error-rate")], fixedAggregation: true },
  { id: "throttle-rate", topic: "Throttle rate (429)", phrases: ["throttle rate", "throttling rate", "throttled rate", "429 rate", "rate limit rate", "percent throttled", "share throttled", "throttled share"], asks: [figureAsk("throttle-rate")], fixedAggregation: true },
  { id: "rpm", topic: "Requests per minute", phrases: ["requests per minute", "request per minute", "calls per minute", "rpm", "req/min", "reqs/min", "requests/min", "requests/minute", "calls/min", "requests per min", "request per min", "calls per min", "req per min", "reqs per min"], asks: [figureAsk("rpm"), figureAsk("rpm-peak")], fixedAggregation: true, yieldsTo: ["rpm-peak"], peak: "rpm-peak" },
  { id: "rpm-peak", topic: "Peak requests per minute", phrases: ["peak requests per minute", "max requests per minute", "maximum requests per minute", "peak rpm", "max rpm", "maximum rpm", "highest rpm", "busiest minute"], asks: [figureAsk("rpm-peak")], fixedAggregation: true },
  { id: "tpm", topic: "Tokens per minute", phrases: ["tokens per minute", "token per minute", "tpm", "tokens per min", "token per min", "tokens/min", "tokens/minute", "tok/min"], asks: [figureAsk("tpm"), figureAsk("tpm-peak")], fixedAggregation: true, yieldsTo: ["tpm-peak"], peak: "tpm-peak" },
  { id: "tpm-peak", topic: "Peak tokens per minute", phrases: ["peak tokens per minute", "max tokens per minute", "maximum tokens per minute", "peak tpm", "max tpm", "maximum tpm", "highest tpm"], asks: [figureAsk("tpm-peak")], fixedAggregation: true },
  { id: "latency-peak", topic: "Slowest minute", phrases: ["slowest minute", "worst minute", "peak latency", "latency peak"], asks: [figureAsk("latency-peak-minute")], fixedAggregation: true },
  { id: "tokens", topic: "Tokens", phrases: ["tokens", "token", "token usage", "usage", "consumption", "consumed"], asks: [{ metric: "TokenTransaction", aggregation: "Total", label: "Tokens (prompt + completion)" }], yieldsTo: ["prompt-tokens", "completion-tokens", "prompt-vs-completion", "active-tokens", "tps", "ttft", "tbt", "cache", "tpm", "tpm-peak"] },
  { id: "prompt-tokens", topic: "Prompt tokens", phrases: ["prompt tokens", "input tokens", "prompt token", "input token", "prompt", "prompts", "input"], asks: [prompt], yieldsTo: ["prompt-vs-completion", "cache"] },
  { id: "completion-tokens", topic: "Completion tokens", phrases: ["completion tokens", "output tokens", "generated tokens", "completion token", "output token", "completion", "completions", "generated", "output"], asks: [completion], yieldsTo: ["prompt-vs-completion"] },
  { id: "prompt-vs-completion", topic: "Prompt vs completion tokens", phrases: ["prompt vs completion", "prompt versus completion", "prompt vs. completion", "input vs output", "input versus output", "prompt and completion", "input and output", "prompt/completion"], asks: [prompt, completion] },
  { id: "ptu", topic: "PTU utilisation", phrases: ["ptu", "ptus", "provisioned", "utilization", "utilisation", "ptu utilization", "ptu utilisation", "capacity used"], asks: [{ metric: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Average", label: "PTU utilisation" }, { metric: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Maximum", label: "PTU utilisation (peak)" }], fixedAggregation: true },
  // an estimate from tokens × configured prices; the query layer refuses it when there are no prices
  { id: "spend", topic: "Estimated cost", phrases: ["spend", "spent", "spending", "cost", "costs", "costing", "bill", "billing", "billed", "invoice", "charges", "charged", "expense", "expenses", "budget", "pricing", "how much did we pay", "how much does it cost", "money"], asks: [prompt, completion], fixedAggregation: true, estimate: "spend" },
  { id: "active-tokens", topic: "Active tokens", phrases: ["active tokens", "active token"], asks: [{ metric: "ActiveTokens", aggregation: "Total", label: "Active tokens" }] },
  { id: "cache", topic: "Prompt cache match rate", phrases: ["cache", "cache hit", "cache hits", "cache match", "cached", "prompt cache", "caching", "cache rate"], asks: [{ metric: "AzureOpenAIContextTokensCacheMatchRate", aggregation: "Average", label: "Prompt cache match rate" }] },
  { id: "training", topic: "Fine-tuning training hours", phrases: ["training hours", "fine tuning hours", "fine-tuning hours", "finetuning hours", "fine tuning", "fine-tuning", "finetuning", "fine tuned", "fine-tuned", "training"], asks: [{ metric: "FineTunedTrainingHours", aggregation: "Total", label: "Fine-tuning training hours" }] },
  { id: "data-in", topic: "Data in", phrases: ["data in", "bytes in", "ingress", "inbound data"], asks: [{ metric: "DataIn", aggregation: "Total", label: "Data in" }] },
  { id: "data-out", topic: "Data out", phrases: ["data out", "bytes out", "egress", "outbound data"], asks: [{ metric: "DataOut", aggregation: "Total", label: "Data out" }] },
  {
    id: "health",
    topic: "Health overview",
    phrases: ["what's up", "whats up", "what is up", "anything failing", "is anything failing", "anything wrong", "anything broken", "something wrong", "health", "healthy", "health check", "how are", "how is", "how's", "doing", "overview", "problems", "problem", "issues", "broken", "status", "ok", "okay",
      // "anything on fire?", "is gpt-4o down?", "are we ok?": a verdict, not a deployment named "fire"
      "on fire", "fire", "fires", "burning", "down", "up", "dead", "alive", "degraded", "working", "are we ok", "are we okay", "are we good", "all good", "everything ok", "everything okay", "wrong"],
    // the verdict's checks read the rates and the latency of successful calls split by deployment (verdict.ts CHECKS)
    asks: [
      { metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" },
      figureAsk("success-rate"),
      figureAsk("throttle-rate"),
      figureAsk("error-rate"),
      { metric: "AzureOpenAITimeToResponse", aggregation: "Average", label: "Time to response" },
      errors,
      serverErrors,
      throttled,
    ],
    defaultSplit: "ModelDeploymentName",
    fixedAggregation: true,
    yieldsTo: "any",
    verdict: true,
  },
];

/** Words that change the aggregation of intents that allow it. */
export const AGGREGATION_WORDS: readonly { readonly aggregation: Aggregation; readonly words: readonly string[] }[] = [
  { aggregation: "Maximum", words: ["max", "maximum", "peak", "highest", "worst"] },
  { aggregation: "Minimum", words: ["min", "minimum", "lowest", "best"] },
  { aggregation: "Average", words: ["average", "avg", "mean", "typical"] },
  { aggregation: "Total", words: ["how many", "total", "number of", "count of", "sum", "sum of", "amount of"] },
];

/** Dimension words for "by X", "per X", "model X", "X=value". */
export const DIMENSION_WORDS: readonly { readonly dimension: Dimension; readonly words: readonly string[] }[] = [
  { dimension: "ModelDeploymentName", words: ["deployment", "deployments", "deploy", "deployment name", "modeldeploymentname"] },
  { dimension: "ModelName", words: ["model", "models", "model name", "modelname"] },
  { dimension: "ModelVersion", words: ["model version", "version", "versions", "modelversion"] },
  { dimension: "Region", words: ["region", "regions", "location", "locations"] },
  { dimension: "ApiName", words: ["api", "apis", "api name", "apiname"] },
  { dimension: "OperationName", words: ["operation", "operations", "operation name", "operationname", "op"] },
  { dimension: "StatusCode", words: ["status code", "status codes", "status", "statuscode", "status_code", "code", "codes", "http status"] },
  { dimension: "StreamType", words: ["stream type", "streamtype", "stream"] },
  { dimension: "Category", words: ["category", "categories", "harm category"] },
  { dimension: "Severity", words: ["severity", "severities"] },
];
