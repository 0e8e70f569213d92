import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/bot/parse.ts";
import { UserError } from "../../src/queries/errors.ts";
import { summarize, summarizeTable } from "./summarize.ts";

const ctx = { deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"] };

function understood(text: string): string {
  try {
    const r = parse(text, ctx);
    return r.kind === "help" ? "HELP" : r.kind === "table" ? summarizeTable(r.question) : summarize(r.question);
  } catch (err) {
    if (err instanceof UserError) return `ERR ${err.code}`;
    throw err;
  }
}

// question → metric:aggregation[:status] ; window ; filters ; split. Typos, case, unicode and
// injection attempts included: every row is what a person would expect the bot to look up.
const TABLE: readonly (readonly [string, string])[] = [
  ["latency", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["Latency", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["LATENCY", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency gpt-4o 24h", "AzureOpenAITimeToResponse:Average ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["latency for gpt-4o over the last 24 hours", "AzureOpenAITimeToResponse:Average ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["what's the latency of gpt-4o-mini right now", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["avg latency gpt-4o-mini 30m", "AzureOpenAITimeToResponse:Average ; 30m ; ModelDeploymentName=gpt-4o-mini"],
  ["max latency by deployment today", "AzureOpenAITimeToResponse:Maximum ; today ; by ModelDeploymentName"],
  ["slowest deployment today", "AzureOpenAITimeToResponse:Average ; today ; by ModelDeploymentName"],
  ["response time last 2 hours", "AzureOpenAITimeToResponse:Average ; 120m"],
  ["blocked deployment=gpt-4o 1h", "AzureOpenAIRequests:Total:429,RAIRejectedRequests:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["blocked calls last hour for deployment gpt-4o", "AzureOpenAIRequests:Total:429,RAIRejectedRequests:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["blocked gpt-4o 1h", "AzureOpenAIRequests:Total:429,RAIRejectedRequests:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["tokens by deployment 7d", "TokenTransaction:Total ; 10080m ; by ModelDeploymentName"],
  ["token usage this week", "TokenTransaction:Total ; this-week"],
  ["errors by status code today", "AzureOpenAIRequests:Total:45xx ; today ; by StatusCode"],
  ["errors today", "AzureOpenAIRequests:Total:45xx ; today"],
  ["TotalCalls last hour", "TotalCalls:Total ; 60m"],
  ["totalcalls last hour", "TotalCalls:Total ; 60m"],
  ["how many 429s did gpt-4o-mini get yesterday?", "AzureOpenAIRequests:Total:429 ; yesterday ; ModelDeploymentName=gpt-4o-mini"],
  ["how many 429s did gpt-4o-mini get yesterday", "AzureOpenAIRequests:Total:429 ; yesterday ; ModelDeploymentName=gpt-4o-mini"],
  ["429s last hour", "AzureOpenAIRequests:Total:429 ; 60m"],
  ["throttled requests for gpt-4o-mini in the last 6 hours", "AzureOpenAIRequests:Total:429 ; 360m ; ModelDeploymentName=gpt-4o-mini"],
  ["rate limited calls today", "AzureOpenAIRequests:Total:429 ; today"],
  ["average latency of gpt-4o in the last 30 minutes", "AzureOpenAITimeToResponse:Average ; 30m ; ModelDeploymentName=gpt-4o"],
  ["max time to first token for gpt-4o today", "AzureOpenAINormalizedTTFTInMS:Maximum ; today ; ModelDeploymentName=gpt-4o"],
  ["time to first token gpt-4o", "AzureOpenAINormalizedTTFTInMS:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["ttft by deployment", "AzureOpenAINormalizedTTFTInMS:Average ; 60m ; by ModelDeploymentName"],
  ["top 3 deployments by tokens this week", "TokenTransaction:Total ; this-week ; by ModelDeploymentName top 3"],
  ["top 5 deployments by requests today", "AzureOpenAIRequests:Total ; today ; by ModelDeploymentName top 5"],
  ["prompt vs completion tokens today", "ProcessedPromptTokens:Total,GeneratedTokens:Total ; today"],
  ["prompt tokens yesterday", "ProcessedPromptTokens:Total ; yesterday"],
  ["completion tokens for gpt-4o 24h", "GeneratedTokens:Total ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["PTU utilization for gpt-4o-ptu", "AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["ptu utilisation gpt-4o-ptu 7d", "AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; 10080m ; ModelDeploymentName=gpt-4o-ptu"],
  ["content filter blocks yesterday", "RAIRejectedRequests:Total ; yesterday"],
  ["content filtered requests by category today", "RAIRejectedRequests:Total ; today ; by Category"],
  ["is anything failing?", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["anything broken?", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["how is gpt-4o doing", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["gpt-4o", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["gpt-4o 24h", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 1440m ; by ModelDeploymentName"],
  ["5xx last hour", "AzureOpenAIRequests:Total:5xx ; 60m"],
  ["server errors by deployment 24h", "AzureOpenAIRequests:Total:5xx ; 1440m ; by ModelDeploymentName"],
  ["4xx errors today", "AzureOpenAIRequests:Total:4xx ; today"],
  ["availability by deployment 24h", "AzureOpenAIAvailabilityRate:Average ; 1440m ; by ModelDeploymentName"],
  ["success rate of gpt-4o this week", "AzureOpenAIRequests:Total:2xx ; this-week ; ModelDeploymentName=gpt-4o"],
  ["tokens per second gpt-4o", "AzureOpenAITokenPerSecond:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["time between tokens gpt-4o", "AzureOpenAINormalizedTBTInMS:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["time to last byte for gpt-4o-mini since 09:00", "AzureOpenAITTLTInMS:Average ; since 9:00 ; ModelDeploymentName=gpt-4o-mini"],
  ["requests between 10:00 and 11:00", "AzureOpenAIRequests:Total ; 10:00-11:00"],
  ["requests since 9am", "AzureOpenAIRequests:Total ; since 9:00"],
  ["requests last 15 minutes", "AzureOpenAIRequests:Total ; 15m"],
  ["requests past 3 days", "AzureOpenAIRequests:Total ; 4320m"],
  ["requests in the past hour", "AzureOpenAIRequests:Total ; 60m"],
  ["requests last week", "AzureOpenAIRequests:Total ; 10080m"],
  ["requests for gpt-4o and gpt-4o-mini", "AzureOpenAIRequests:Total ; 60m ; ModelDeploymentName=gpt-4o-mini|gpt-4o"],
  ["requests deployment=gpt-4o status=500", "AzureOpenAIRequests:Total ; 60m ; ModelDeploymentName=gpt-4o StatusCode=500"],
  ["requests by region", "AzureOpenAIRequests:Total ; 60m ; by Region"],
  ["requests by api", "AzureOpenAIRequests:Total ; 60m ; by ApiName"],
  ["requests by operation today", "AzureOpenAIRequests:Total ; today ; by OperationName"],
  ["requests by stream type", "AzureOpenAIRequests:Total ; 60m ; by StreamType"],
  ["cache hit rate gpt-4o-ptu", "AzureOpenAIContextTokensCacheMatchRate:Average ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["active tokens gpt-4o-ptu", "ActiveTokens:Total ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["harmful content detected yesterday", "RAIHarmfulRequests:Total ; yesterday"],
  ["fine tuning hours this month", "FineTunedTrainingHours:Total ; this-month"],
  ["data in last hour", "DataIn:Total ; 60m"],
  ["data out last hour", "DataOut:Total ; 60m"],
  ["metric=Latency 1h", "Latency:Average ; 60m"],
  ["metric=BlockedCalls", "BlockedCalls:Total ; 60m"],
  ["latncy", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["thorttled gpt-4o", "AzureOpenAIRequests:Total:429 ; 60m ; ModelDeploymentName=gpt-4o"],
  ["tokns today", "TokenTransaction:Total ; today"],
  ["deployment gpt-4", "ERR unknown_deployment"],
  ["latency gpt4o", "ERR unknown_deployment"],
  ["latency for deployment gtp-4o", "ERR unknown_deployment"],
  ["p95 latency", "TABLE logs percentiles ; 60m ; p95"],
  ["p99 latency for gpt-4o", "TABLE logs percentiles ; 60m ; gpt-4o ; p99"],
  ["median latency", "TABLE logs percentiles ; 60m ; p50"],
  ["x' or Region eq '*", "ERR not_understood"],
  ["deployment=x' or Region eq '*", "ERR invalid_filter_value"],
  ["latency region=eastus' or Region eq '*", "ERR invalid_filter_value"],
  ["what is the weather", "ERR not_understood"],
  ["hello", "HELP"],
  ["help", "HELP"],
  ["?", "HELP"],
  ["　ｌａｔｅｎｃｙ　ｇｐｔ－４ｏ", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["latency ​gpt-4o", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["latency gpt‑4o 24h", "AzureOpenAITimeToResponse:Average ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["Latency GPT-4O 24H", "AzureOpenAITimeToResponse:Average ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["latency last 0 hours", "ERR invalid_window"],
  ["latency last 200 days", "ERR invalid_window"],
  ["latency between 25:00 and 26:00", "ERR invalid_window"],
  ["please show me the latency for gpt-4o over the last 30 minutes, thanks!", "AzureOpenAITimeToResponse:Average ; 30m ; ModelDeploymentName=gpt-4o"],
  // "<@U123> latency", "/aoai latency": platform markup is the adapters' to strip (test/adapters/slack/mention.test.ts)
  ["slowest deployment today", "AzureOpenAITimeToResponse:Average ; today ; by ModelDeploymentName"],
  ["busiest deployments yesterday", "AzureOpenAIRequests:Total ; yesterday ; by ModelDeploymentName"],
  ["which deployment has the most 429s today", "AzureOpenAIRequests:Total:429 ; today ; by ModelDeploymentName"],
  ["latency p50", "TABLE logs percentiles ; 60m ; p50"],
  ["latency last 45 minutes", "AzureOpenAITimeToResponse:Average ; 45m"],
  ["latency in the last hour", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency over the past 12 hours", "AzureOpenAITimeToResponse:Average ; 720m"],
  ["latency 90m", "AzureOpenAITimeToResponse:Average ; 90m"],
  ["latency 2d", "AzureOpenAITimeToResponse:Average ; 2880m"],
  ["latency 1w", "AzureOpenAITimeToResponse:Average ; 10080m"],
  ["latency since midnight", "AzureOpenAITimeToResponse:Average ; today"],
  ["latency since yesterday", "AzureOpenAITimeToResponse:Average ; since 0:00 yesterday"],
  ["latency from 08:30 to 09:15", "AzureOpenAITimeToResponse:Average ; 8:30-9:15"],
  ["latency between 9am and 11am", "AzureOpenAITimeToResponse:Average ; 9:00-11:00"],
  ["latency between 1pm and 3:30pm", "AzureOpenAITimeToResponse:Average ; 13:00-15:30"],
  ["min latency today", "AzureOpenAITimeToResponse:Minimum ; today"],
  ["lowest availability by deployment this week", "AzureOpenAIAvailabilityRate:Minimum ; this-week ; by ModelDeploymentName asc"],
  ["peak ptu utilization today", "AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; today"],
  ["highest tokens per second", "AzureOpenAITokenPerSecond:Maximum ; 60m"],
  ["average tokens per second by deployment", "AzureOpenAITokenPerSecond:Average ; 60m ; by ModelDeploymentName"],
  ["ttlt gpt-4o yesterday", "AzureOpenAITTLTInMS:Average ; yesterday ; ModelDeploymentName=gpt-4o"],
  ["tbt by deployment 24h", "AzureOpenAINormalizedTBTInMS:Average ; 1440m ; by ModelDeploymentName"],
  ["how many requests today", "AzureOpenAIRequests:Total ; today"],
  ["how many calls did gpt-4o get in the last hour", "AzureOpenAIRequests:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["number of requests for gpt-4o-mini this week", "AzureOpenAIRequests:Total ; this-week ; ModelDeploymentName=gpt-4o-mini"],
  ["total tokens yesterday", "TokenTransaction:Total ; yesterday"],
  ["total tokens by model today", "TokenTransaction:Total ; today ; by ModelName"],
  ["tokens model=gpt-4o", "TokenTransaction:Total ; 60m ; ModelName=gpt-4o"],
  ["tokens by model", "TokenTransaction:Total ; 60m ; by ModelName"],
  ["errors for gpt-4o-mini", "AzureOpenAIRequests:Total:45xx ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["errors by deployment last 24 hours", "AzureOpenAIRequests:Total:45xx ; 1440m ; by ModelDeploymentName"],
  ["failures last hour", "AzureOpenAIRequests:Total:45xx ; 60m"],
  ["any failures today?", "AzureOpenAIRequests:Total:45xx ; today"],
  // a code said as a plural or beside a count word is that code; only "5xx"/"server errors" are the class
  ["500s today", "AzureOpenAIRequests:Total ; today ; StatusCode=500"],
  ["503s gpt-4o", "AzureOpenAIRequests:Total ; 60m ; StatusCode=503 ModelDeploymentName=gpt-4o"],
  ["404s", "AzureOpenAIRequests:Total ; 60m ; StatusCode=404"],
  ["400s today", "AzureOpenAIRequests:Total ; today ; StatusCode=400"],
  ["how many 500 errors today?", "AzureOpenAIRequests:Total:45xx ; today ; StatusCode=500"],
  ["errors 500 today", "AzureOpenAIRequests:Total:45xx ; today ; StatusCode=500"],
  ["503 responses", "AzureOpenAIRequests:Total ; 60m ; StatusCode=503"],
  ["429 responses", "AzureOpenAIRequests:Total:429 ; 60m"],
  ["5xx errors today", "AzureOpenAIRequests:Total:5xx ; today"],
  // a changed letter is a word of its own, not a slip of "rate": still the count
  ["rare errors today", "AzureOpenAIRequests:Total:45xx ; today"],
  ["rate limited calls today", "AzureOpenAIRequests:Total:429 ; today"],
  ["client errors gpt-4o", "AzureOpenAIRequests:Total:4xx ; 60m ; ModelDeploymentName=gpt-4o"],
  ["bad requests last 6h", "AzureOpenAIRequests:Total:4xx ; 360m"],
  ["successful calls today", "AzureOpenAIRequests:Total:2xx ; today"],
  ["2xx by deployment", "AzureOpenAIRequests:Total:2xx ; 60m ; by ModelDeploymentName"],
  ["rate limit gpt-4o-mini", "AzureOpenAIRequests:Total:429 ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["rate-limited requests yesterday by deployment", "AzureOpenAIRequests:Total:429 ; yesterday ; by ModelDeploymentName"],
  ["too many requests errors today", "AzureOpenAIRequests:Total:429 ; today"],
  ["throttling this week", "AzureOpenAIRequests:Total:429 ; this-week"],
  ["status code 429 today", "AzureOpenAIRequests:Total ; today ; StatusCode=429"],
  ["requests status=429 24h", "AzureOpenAIRequests:Total ; 1440m ; StatusCode=429"],
  ["requests stream=Streaming", "AzureOpenAIRequests:Total ; 60m ; StreamType=Streaming"],
  ["requests model=gpt-4o-mini", "AzureOpenAIRequests:Total ; 60m ; ModelName=gpt-4o-mini"],
  ["requests api=chat", "AzureOpenAIRequests:Total ; 60m ; ApiName=chat"],
  ["requests region=swedencentral", "AzureOpenAIRequests:Total ; 60m ; Region=swedencentral"],
  ["requests operation=ChatCompletions_Create", "AzureOpenAIRequests:Total ; 60m ; OperationName=ChatCompletions_Create"],
  ["content filter by deployment", "RAIRejectedRequests:Total ; 60m ; by ModelDeploymentName"],
  ["jailbreak attempts today", "RAIRejectedRequests:Total ; today"],
  ["moderation blocks for gpt-4o", "RAIRejectedRequests:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["blocked content yesterday", "AzureOpenAIRequests:Total:429,RAIRejectedRequests:Total ; yesterday"],
  ["blocked requests by deployment 24h", "AzureOpenAIRequests:Total:429,RAIRejectedRequests:Total ; 1440m ; by ModelDeploymentName"],
  ["throttled or content filter gpt-4o", "RAIRejectedRequests:Total,AzureOpenAIRequests:Total:429 ; 60m ; ModelDeploymentName=gpt-4o"],
  ["AzureOpenAIRequests today", "AzureOpenAIRequests:Total ; today"],
  ["azureopenairequests by deployment 24h", "AzureOpenAIRequests:Total ; 1440m ; by ModelDeploymentName"],
  ["AzureOpenAITimeToResponse gpt-4o", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["ProcessedPromptTokens,GeneratedTokens today", "ProcessedPromptTokens:Total,GeneratedTokens:Total ; today"],
  ["metric=GeneratedTokens,ProcessedPromptTokens 7d", "GeneratedTokens:Total,ProcessedPromptTokens:Total ; 10080m"],
  ["TokenTransaction top 2", "TokenTransaction:Total ; 60m ; by ModelDeploymentName top 2"],
  ["SuccessfulCalls yesterday", "SuccessfulCalls:Total ; yesterday"],
  ["Latency by deployment", "AzureOpenAITimeToResponse:Average ; 60m ; by ModelDeploymentName"],
  ["metric=NoSuchMetric", "ERR not_understood"],
  ["metric=TotalCalls deployment=gpt-4o", "TotalCalls:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["TotalCalls deployment=gpt-4o", "TotalCalls:Total ; 60m ; ModelDeploymentName=gpt-4o"],
  ["deployment=nope latency", "ERR unknown_deployment"],
  ["deployment=\"gpt-4o\" latency", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["deployment='gpt-4o-mini' 429s", "AzureOpenAIRequests:Total:429 ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["latency deployment = gpt-4o", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["LaTeNcY gPt-4O-MiNi 1H", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["latency for gpt-4o-mini please", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o-mini"],
  ["what's up with gpt-4o-mini?", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["tell me about text-embedding-3-large today", "AzureOpenAIRequests:Total,AzureOpenAIRequests:Total:2xx,AzureOpenAIRequests:Total:429xx,AzureOpenAIRequests:Total:45xx,AzureOpenAITimeToResponse:Average,AzureOpenAIRequests:Total:45xx,AzureOpenAIRequests:Total:5xx,AzureOpenAIRequests:Total:429 ; today ; by ModelDeploymentName"],
  ["text-embedding-3-large tokens 7d", "TokenTransaction:Total ; 10080m ; ModelDeploymentName=text-embedding-3-large"],
  ["embedding tokens", "TokenTransaction:Total ; 60m ; ModelDeploymentName=text-embedding-3-large"],
  ["gpt-4o-ptu utilization", "AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["how busy is gpt-4o-ptu", "AzureOpenAIRequests:Total ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["latency 🚀 gpt-4o", "AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=gpt-4o"],
  ["🔥🔥🔥", "ERR not_understood"],
  ["; drop table users; --", "ERR not_understood"],
  ["{\"json\": true}", "ERR not_understood"],
  ["<script>alert(1)</script>", "ERR not_understood"],
  ["../../etc/passwd latency", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency $(rm -rf /)", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency yesterday between 10:00 and 11:00", "AzureOpenAITimeToResponse:Average ; 10:00-11:00 yesterday"],
  ["since 09:00 yesterday errors", "AzureOpenAIRequests:Total:45xx ; since 9:00 yesterday"],
  ["latency since yesterday", "AzureOpenAITimeToResponse:Average ; since 0:00 yesterday"],
  ["tokens this month", "TokenTransaction:Total ; this-month"],
  ["latency from 11pm to 1am", "AzureOpenAITimeToResponse:Average ; 23:00-1:00"],
  ["latency between 2026-11-28T10:00Z and 2026-11-28T12:00Z", "AzureOpenAITimeToResponse:Average ; 2026-11-28T10:00Z/2026-11-28T12:00Z"],
  ["requests from 2026-11-28T10:00:00Z to 2026-11-28T12:30:00Z by deployment", "AzureOpenAIRequests:Total ; 2026-11-28T10:00:00Z/2026-11-28T12:30:00Z ; by ModelDeploymentName"],
  ["latency my-deploy", "ERR unknown_deployment"],
  ["latency for foo", "ERR unknown_deployment"],
  ["latency for model gpt-4o", "AzureOpenAITimeToResponse:Average ; 60m ; ModelName=gpt-4o"],
  ["tokens for model gpt-4o", "TokenTransaction:Total ; 60m ; ModelName=gpt-4o"],
  ["top 2 fastest deployments", "AzureOpenAITimeToResponse:Average ; 60m ; by ModelDeploymentName top 2 asc"],
  ["which deployment has the lowest availability", "AzureOpenAIAvailabilityRate:Minimum ; 60m ; by ModelDeploymentName asc"],
  ["how many requests failed with 500 today", "AzureOpenAIRequests:Total:45xx ; today ; StatusCode=500"],
  ["latency for gpt-4o streaming", "AzureOpenAITimeToResponse:Average ; 60m ; StreamType=Streaming ModelDeploymentName=gpt-4o"],
  ["non-streaming latency", "AzureOpenAITimeToResponse:Average ; 60m ; StreamType=Non-Streaming"],
  ["max AzureOpenAITimeToResponse today", "AzureOpenAITimeToResponse:Maximum ; today"],
  ["errors by status code by deployment", "AzureOpenAIRequests:Total:45xx ; 60m ; by StatusCode"],
  ["<script>alert(1)</script>", "ERR not_understood"],
  ["latency for all deployments", "AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency for today", "AzureOpenAITimeToResponse:Average ; today"],
  ["errors for gpt-4o-mini please", "AzureOpenAIRequests:Total:45xx ; 60m ; ModelDeploymentName=gpt-4o-mini"],

];

describe("understanding questions", () => {
  it("covers at least 150 phrasings", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
  });

  it.each(TABLE)("%j → %s", (question, expected) => {
    expect(understood(question)).toBe(expected);
  });

  it("says why \"blocked\" shows two figures", () => {
    const r = parse("blocked gpt-4o", ctx);
    expect(r.kind === "question" && r.question.notes.join(" ")).toContain("rate-limited (429) or stopped by the content filter");
  });

  it("offers three example questions close to an unintelligible one", () => {
    try {
      parse("what is the weather", ctx);
      expect.unreachable("should not be understood");
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).examples).toHaveLength(3);
    }
  });

  it("reads the percentile asked, for the request logs to answer", () => {
    expect(parse("p95 latency", ctx)).toMatchObject({ kind: "table", question: { kind: "logs", template: "percentiles", percentiles: [95] } });
    expect(() => parse("p95 tokens", ctx)).toThrow(/Percentiles of tokens aren't available/);
  });

  it("lists the known deployments for an unknown one", () => {
    try {
      parse("latency deployment=nope", ctx);
      expect.unreachable("should fail");
    } catch (err) {
      expect((err as UserError).hint).toBe("Known deployments: gpt-4o, gpt-4o-mini, text-embedding-3-large, gpt-4o-ptu.");
    }
  });
});

describe("no input breaks the parser", () => {
  const vocabulary = ["latency", "429s", "blocked", "by", "deployment", "gpt-4o", "top", "3", "last", "24h", "since", "09:00", "between", "and", "=", "'", '"', "*", "or", "eq", "p95", "today", "metric=", "status=", "\u200b", "ｇｐｔ", "🚀", "\\", "(", ")", "-", "deployment=", "region="];
  const phrase = fc.array(fc.constantFrom(...vocabulary), { maxLength: 12 }).map((w) => w.join(" "));

  // a guard against runaway regex backtracking (seconds), not a speed figure: generous so a loaded CI machine passes (speed is `npm run bench`)
  it("answers or explains every string, within 250 ms", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.string({ unit: "grapheme", maxLength: 200 }), phrase, fc.string({ unit: "binary", maxLength: 300 })), (text) => {
        const started = performance.now();
        try {
          parse(text, ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
          expect((err as UserError).message.length).toBeGreaterThan(0);
        }
        expect(performance.now() - started).toBeLessThan(250);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("figures with one meaning each, and what they are compared with", () => {
  const understood = (text: string) => {
    const p = parse(text, ctx);
    if (p.kind !== "question") throw new Error(`${text} was not a question`);
    return p.question;
  };

  it.each([
    ["success rate gpt-4o-mini last hour", ["success-rate"]],
    ["error rate", ["error-rate"]],
    ["throttle rate of gpt-4o-mini", ["throttle-rate"]],
    ["requests per minute", ["rpm", "rpm-peak"]],
    ["peak requests per minute", ["rpm-peak"]],
    ["max rpm today", ["rpm-peak"]],
    ["tokens per minute", ["tpm", "tpm-peak"]],
    ["peak tokens per minute", ["tpm-peak"]],
    ["slowest minute", ["latency-peak-minute"]],
    // a share word beside a count asks for the share, typed however
    ["throtle rate gpt-4o-mini", ["throttle-rate"]],
    ["success rte gpt-4o-mini", ["success-rate"]],
    ["error rat", ["error-rate"]],
    ["% throttled gpt-4o-mini", ["throttle-rate"]],
    ["percent throttled", ["throttle-rate"]],
    ["share of 429s", ["throttle-rate"]],
    ["what fraction of calls were throttled", ["throttle-rate"]],
    ["% errors", ["error-rate"]],
    ["% successful", ["success-rate"]],
    ["succes rate", ["success-rate"]],
    ["sucess rate", ["success-rate"]],
    ["sucess rate gpt-4o", ["success-rate"]],
    ["requests per min", ["rpm", "rpm-peak"]],
    ["req/min", ["rpm", "rpm-peak"]],
    ["peak req/min", ["rpm-peak"]],
    ["tokens/min", ["tpm", "tpm-peak"]],
    ["tokens per min", ["tpm", "tpm-peak"]],
    ["max tokens per min", ["tpm-peak"]],
  ])("%j is the catalog figure %j, not a count or an average", (text, figures) => {
    expect(understood(text).asks.map((a) => a.figure)).toEqual(figures);
  });

  it("keeps availability as Azure's own metric, never as the success rate", () => {
    expect(understood("availability gpt-4o-mini").asks.map((a) => [a.metric, a.figure])).toEqual([["AzureOpenAIAvailabilityRate", undefined]]);
  });

  it.each([
    ["gpt-4o latency vs yesterday", "day-before"],
    ["is gpt-4o slower than yesterday?", "day-before"],
    ["errors compared to last week", "week-before"],
    ["429s same time yesterday", "day-before"],
  ])("%j keeps the default window and compares it with the span shifted (%s)", (text, baseline) => {
    const q = understood(text);
    expect(q.window).toEqual({ kind: "relative", minutes: 60 });
    expect(q.baseline).toBe(baseline);
  });

  it("reads \"compare A and B\" as both deployments (answered side by side)", () => {
    expect(understood("compare gpt-4o and gpt-4o-mini latency").filters.ModelDeploymentName?.slice().sort()).toEqual(["gpt-4o", "gpt-4o-mini"]);
  });
});
