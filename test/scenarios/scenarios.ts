// One list of conversations, asserted through every platform's driver (console today; Slack and
// Teams drive the same list), so a fact a user can see holds everywhere.

export interface Scenario {
  readonly name: string;
  readonly say: string;
  readonly kind: "answer" | "error" | "help";
  /** Text a user must see, whatever the platform's layout. */
  readonly shows: readonly string[];
  /** Text a user must never see. */
  readonly never?: readonly string[];
}

/** The demo clock every scenario runs at: Sunday 2026-11-29 10:00 UTC. */
export const SCENARIO_NOW = new Date("2026-11-29T10:00:00Z");

export const SCENARIOS: readonly Scenario[] = [
  { name: "latency, last hour", say: "latency", kind: "answer", shows: ["Time to response", "ms", "AzureOpenAITimeToResponse", "Average", "PT1M", "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z"] },
  { name: "blocked for a deployment answers both meanings", say: "blocked calls last hour for deployment gpt-4o", kind: "answer", shows: ["Rate-limited calls (429)", "Content-filter blocks", "ModelDeploymentName eq 'gpt-4o'", "rate-limited (429) or stopped by the content filter"] },
  { name: "429 burst on gpt-4o-mini", say: "429s gpt-4o-mini last hour", kind: "answer", shows: ["Rate-limited calls (429)", "StatusCode eq '429'"] },
  { name: "split by deployment", say: "tokens by deployment 7d", kind: "answer", shows: ["gpt-4o-mini", "text-embedding-3-large", "TokenTransaction", "PT1H"] },
  { name: "legacy metric says so", say: "TotalCalls last hour", kind: "answer", shows: ["TotalCalls", "Do not use for Azure OpenAI service", "AzureOpenAIRequests replaces it"] },
  { name: "PTU utilisation of a pay-as-you-go deployment says it has none", say: "PTU utilization for gpt-4o", kind: "error", shows: ["gpt-4o is not a provisioned (PTU) deployment, so it has no PTU utilisation; provisioned: gpt-4o-ptu"], never: ["PTU utilisation: 0 %", "no data"] },
  { name: "unknown deployment", say: "latency for deployment gpt-5", kind: "error", shows: ['There is no deployment named "gpt-5"', "Known deployments"] },
  { name: "near miss", say: "latency gpt4o", kind: "error", shows: ["Did you mean gpt-4o?"] },
  { name: "percentiles come from the request logs", say: "p95 latency", kind: "answer", shows: ["p95 latency (request logs)", "p95_ms", "percentile(DurationMs, 95)", "law-aoai-demo", "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", "until the stream ends"], never: ["percentiles aren't in Azure Monitor metrics", "I can't run log queries yet"] },
  { name: "a p99 question runs the query for that percentile, deployment and window", say: "p99 latency for gpt-4o last 24h", kind: "answer", shows: ["p99_ms", 'deployment in~ ("gpt-4o")', "datetime(2026-11-28T10:00:00Z)", "Streaming", "Non-Streaming"], never: ["p95_ms", "gpt-4o-mini"] },
  { name: "the last failed requests, from the logs", say: "last 5 failed requests for gpt-4o-mini", kind: "answer", shows: ["CorrelationId", "ChatCompletions_Create", "ResultSignature", "top 5 by TimeGenerated desc", 'deployment in~ ("gpt-4o-mini")'] },
  { name: "what changed on the resource, from the activity log", say: "who changed gpt-4o this week?", kind: "answer", shows: ["activity log", "alice@contoso.com", "capacity 1000 → 1200", "Succeeded", "eventTimestamp ge '2026-11-23T00:00:00Z'"] },
  { name: "raw KQL is refused until someone is allowed", say: "kql AzureDiagnostics | take 5", kind: "error", shows: ["kql.allowedUsers"], never: ["AzureDiagnostics | take 5 ·"] },
  { name: "an unknown dimension value lists the reported ones", say: "latency stream=true", kind: "error", shows: ['StreamType has no value "true"', "Non-Streaming, Streaming"], never: ["no data"] },
  { name: "a weekday is that local day, not a deployment", say: "requests on friday", kind: "answer", shows: ["Friday Nov 27", "2026-11-27T00:00:00Z/2026-11-28T00:00:00Z"], never: ["no deployment named"] },
  { name: "gibberish gets examples", say: "asdf qwerty", kind: "error", shows: ["I couldn't tell which metric", "latency"] },
  { name: "injection is refused, not run", say: "latency deployment=x' or Region eq '*", kind: "error", shows: ["is not a valid ModelDeploymentName value"] },
  { name: "spend without prices says how to add them", say: "how much did we spend this week", kind: "error", shows: ["I can't estimate spend yet: no prices are configured.", "prices: { currency: USD", "inputPer1M", "Here is what I can:", "tokens by deployment this week"], never: ["Time to response", "TokenTransaction"] },
  { name: "quota: how close a deployment is to its limits", say: "how close is gpt-4o to its TPM limit?", kind: "answer", shows: ["Quota and headroom", "TPM limit", "1,000,000", "peak tokens/min", "deployments.list", "properties.rateLimits", "PT1M"], never: ["I can't read deployment quotas yet"] },
  { name: "doctor says what each resource has and lacks", say: "doctor", kind: "answer", shows: ["Prerequisites", "Metrics readable", "Diagnostic setting", "aoai-demo-to-law", "Workspace queryable", "Deployments readable"], never: ["❌"] },
  { name: "are logs arriving: the demo's setting routes them and rows land", say: "are logs arriving for gpt-4o?", kind: "answer", shows: ["gpt-4o", "logging"] },
  { name: "help", say: "help", kind: "help", shows: ["latency gpt-4o 24h", "gpt-4o-ptu"] },
];
