// Log, activity-log and quota questions as people type them: each reads as the table question it
// asks (kind, template, window, deployments, count, status), and the metric questions that merely
// look alike stay metric questions.
import { describe, expect, it } from "vitest";
import { parse } from "../../src/bot/parse.ts";
import { RowLimitError } from "../../src/bot/table-parse.ts";
import { TABLE_PHRASINGS, TABLE_TOPICS } from "../../src/bot/table-topics.ts";
import { UserError } from "../../src/queries/errors.ts";
import { summarize, summarizeTable } from "./summarize.ts";

const ctx = {
  deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"],
  facts: [
    { name: "gpt-4o", models: ["gpt-4o"], provisioned: false },
    { name: "gpt-4o-mini", models: ["gpt-4o-mini"], provisioned: false },
    { name: "text-embedding-3-large", models: ["text-embedding-3-large"], provisioned: false },
    { name: "gpt-4o-ptu", models: ["gpt-4o"], provisioned: true },
  ],
};

function read(text: string): string {
  try {
    const r = parse(text, ctx);
    return r.kind === "help" ? "HELP" : r.kind === "table" ? summarizeTable(r.question) : `METRIC ${summarize(r.question)}`;
  } catch (err) {
    if (err instanceof UserError) return `ERR ${err.code}`;
    throw err;
  }
}

const LOGS: readonly (readonly [string, string])[] = [
  // percentiles: the metric grammar reads the rest, the request logs answer
  ["p99 for gpt-4o last 24h", "TABLE logs percentiles ; 1440m ; gpt-4o ; p99"],
  ["p95 latency of streaming calls on gpt-4o yesterday", "TABLE logs percentiles ; yesterday ; gpt-4o ; p95 ; Streaming"],
  ["p50 and p99 latency for non-streaming calls today", "TABLE logs percentiles ; today ; p50/p99 ; Non-Streaming"],
  ["99th percentile latency of embeddings on monday", "TABLE logs percentiles ; weekday ; text-embedding-3-large ; p99"],
  ["median latency by deployment today", "TABLE logs percentiles ; today ; p50"],
  ["percentiles for gpt-4o-mini 6h", "TABLE logs percentiles ; 360m ; gpt-4o-mini ; p50/p95/p99"],
  ["logs p95 for gpt-4o", "TABLE logs percentiles ; 60m ; gpt-4o ; p95"],
  ["latency in the logs for gpt-4o", "TABLE logs percentiles ; 60m ; gpt-4o ; p50/p95/p99"],
  // single failed requests
  ["last 10 failed requests for gpt-4o-mini", "TABLE logs failed-requests ; 60m ; gpt-4o-mini ; limit 10"],
  ["last 5 failed requests for gpt-4o-mini", "TABLE logs failed-requests ; 60m ; gpt-4o-mini ; limit 5"],
  ["latest errors", "TABLE logs failed-requests ; 60m"],
  ["latest errors today", "TABLE logs failed-requests ; today"],
  ["show failed calls", "TABLE logs failed-requests ; 60m"],
  ["show me the last 20 failed requests for gpt-4o since 09:00", "TABLE logs failed-requests ; since 9:00 ; gpt-4o ; limit 20"],
  ["last ten errors", "TABLE logs failed-requests ; 60m ; limit 10"],
  ["10 most recent errors", "TABLE logs failed-requests ; 60m ; limit 10"],
  ["latest 429s for mini", "TABLE logs failed-requests ; 60m ; gpt-4o-mini ; status 429"],
  ["last 3 5xx on gpt-4o", "TABLE logs failed-requests ; 60m ; gpt-4o ; limit 3 ; status 5xx"],
  ["correlation ids", "TABLE logs failed-requests ; 60m"],
  ["correlation ids of the 500s", "TABLE logs failed-requests ; 60m ; status 500"],
  ["show me the logs for failed requests", "TABLE logs failed-requests ; 60m"],
  ["error messages for gpt-4o", "TABLE logs failed-requests ; 60m ; gpt-4o"],
  // callers
  ["top callers", "TABLE logs callers ; 60m"],
  ["top callers by requests", "TABLE logs callers ; 60m"],
  ["top 3 callers today", "TABLE logs callers ; today ; limit 3"],
  ["who is calling", "TABLE logs callers ; 60m"],
  ["who's calling gpt-4o-mini?", "TABLE logs callers ; 60m ; gpt-4o-mini"],
  ["who called gpt-4o-mini the most", "TABLE logs callers ; 60m ; gpt-4o-mini"],
  ["which IPs", "TABLE logs callers ; 60m"],
  ["which IPs call gpt-4o?", "TABLE logs callers ; 60m ; gpt-4o"],
  ["user agents", "TABLE logs callers ; 60m"],
  // asked of the logs where metrics would answer
  ["logs top error codes today", "TABLE logs error-codes ; today"],
  ["logs top 5 error codes for gpt-4o this week", "TABLE logs error-codes ; this-week ; gpt-4o ; limit 5"],
  ["errors by status code in the logs", "TABLE logs error-codes ; 60m"],
  ["result signatures last hour", "TABLE logs error-codes ; 60m"],
  ["429s in the logs last hour", "TABLE logs errors-by-deployment ; 60m ; status 429"],
  ["429s by deployment from the logs", "TABLE logs errors-by-deployment ; 60m ; status 429"],
  ["logs errors by deployment today", "TABLE logs errors-by-deployment ; today"],
  ["5xx from the logs for gpt-4o", "TABLE logs errors-by-deployment ; 60m ; gpt-4o ; status 5xx"],
  ["logs 503 errors yesterday", "TABLE logs errors-by-deployment ; yesterday ; status 503"],
  // samples
  ["logs sample", "TABLE logs sample ; 60m"],
  ["logs", "TABLE logs sample ; 60m"],
  ["logs for gpt-4o last hour", "TABLE logs sample ; 60m ; gpt-4o"],
  ["AzureDiagnostics sample", "TABLE logs sample ; 60m"],
  ["logs metrics", "TABLE logs azure-metrics ; 60m"],
  ["AzureMetrics sample", "TABLE logs azure-metrics ; 60m"],
  // are logs arriving (silent for the window's length)
  ["no RequestResponse rows for gpt-4o for 2 hours", "TABLE logs absence ; 120m ; gpt-4o ; silent 120m"],
  ["are logs arriving for gpt-4o?", "TABLE logs absence ; 60m ; gpt-4o ; silent 60m"],
  ["are the logs still arriving", "TABLE logs absence ; 60m ; silent 60m"],
  ["logs stopped for mini?", "TABLE logs absence ; 60m ; gpt-4o-mini ; silent 60m"],
  ["any logs for gpt-4o today", "TABLE logs absence ; today ; gpt-4o"],
];

const ACTIVITY: readonly (readonly [string, string])[] = [
  ["what changed today?", "TABLE activity ; today"],
  ["what changed this week", "TABLE activity ; this-week"],
  ["what changed on the resource today?", "TABLE activity ; today"],
  ["what has changed on gpt-4o since yesterday", "TABLE activity ; since 0:00 yesterday ; gpt-4o"],
  ["who changed gpt-4o this week?", "TABLE activity ; this-week ; gpt-4o"],
  ["who deployed", "TABLE activity ; 1440m"],
  ["who regenerated the keys today", "TABLE activity ; today"],
  ["when was gpt-4o updated?", "TABLE activity ; 1440m ; gpt-4o"],
  ["changes", "TABLE activity ; 1440m"],
  ["any changes yesterday", "TABLE activity ; yesterday"],
  ["activity log", "TABLE activity ; 1440m"],
  ["activity log for gpt-4o-mini 7d", "TABLE activity ; 10080m ; gpt-4o-mini"],
  ["recent deployments changes", "TABLE activity ; 1440m"],
  ["network rules changed?", "TABLE activity ; 1440m"],
];

const QUOTA: readonly (readonly [string, string])[] = [
  ["quota", "TABLE quota ; 1440m"],
  ["what's our quota", "TABLE quota ; 1440m"],
  ["how close is gpt-4o-mini to its limit?", "TABLE quota ; 1440m ; gpt-4o-mini"],
  ["how close is gpt-4o to its TPM limit?", "TABLE quota ; 1440m ; gpt-4o"],
  ["headroom", "TABLE quota ; 1440m"],
  ["headroom by deployment this week", "TABLE quota ; this-week"],
  ["tpm limit", "TABLE quota ; 1440m"],
  ["rpm limit for gpt-4o", "TABLE quota ; 1440m ; gpt-4o"],
  ["rpm limits by deployment", "TABLE quota ; 1440m"],
  ["capacity left", "TABLE quota ; 1440m"],
  ["how much capacity is left on gpt-4o", "TABLE quota ; 1440m ; gpt-4o"],
  ["spillover", "TABLE quota ; 1440m"],
  ["is gpt-4o-ptu spilling over today", "TABLE quota ; today ; gpt-4o-ptu"],
  ["are we hitting the tpm limit on mini", "TABLE quota ; 1440m ; gpt-4o-mini"],
];

/** Metric questions that look like the ones above: metrics still answer them. */
const STAY_METRICS: readonly (readonly [string, string])[] = [
  ["rate limit", "METRIC AzureOpenAIRequests:Total:429 ; 60m"],
  ["rate limits for gpt-4o last hour", "METRIC AzureOpenAIRequests:Total:429 ; 60m ; ModelDeploymentName=gpt-4o"],
  ["rate limited calls by deployment", "METRIC AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["latency", "METRIC AzureOpenAITimeToResponse:Average ; 60m"],
  ["latency gpt-4o 24h", "METRIC AzureOpenAITimeToResponse:Average ; 1440m ; ModelDeploymentName=gpt-4o"],
  ["error rate", "METRIC AzureOpenAIRequests:Total:45xx ; 60m"],
  ["429s by deployment last hour", "METRIC AzureOpenAIRequests:Total:429 ; 60m ; by ModelDeploymentName"],
  ["errors by status code", "METRIC AzureOpenAIRequests:Total:45xx ; 60m ; by StatusCode"],
  ["top error codes today", "METRIC AzureOpenAIRequests:Total:45xx ; today"],
  ["how many failed requests today", "METRIC AzureOpenAIRequests:Total:45xx ; today"],
  ["errors last 10 minutes", "METRIC AzureOpenAIRequests:Total:45xx ; 10m"],
  ["ptu capacity used", "METRIC AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; 60m"],
  ["PTU utilization for gpt-4o-ptu", "METRIC AzureOpenAIProvisionedManagedUtilizationV2:Average,AzureOpenAIProvisionedManagedUtilizationV2:Maximum ; 60m ; ModelDeploymentName=gpt-4o-ptu"],
  ["peak tokens per minute for gpt-4o today", "METRIC TokenTransaction:Total ; today ; ModelDeploymentName=gpt-4o"],
  ["when was latency high", "METRIC AzureOpenAITimeToResponse:Average ; 60m"],
  ["tokens by deployment 7d", "METRIC TokenTransaction:Total ; 10080m ; by ModelDeploymentName"],
  ["latency for billing-logs", "METRIC AzureOpenAITimeToResponse:Average ; 60m ; ModelDeploymentName=billing-logs"],
];

describe("log questions", () => {
  it.each(LOGS)("%s → %s", (text, expected) => {
    expect(read(text)).toBe(expected);
  });
});

describe("activity-log questions", () => {
  it.each(ACTIVITY)("%s → %s", (text, expected) => {
    expect(read(text)).toBe(expected);
  });
});

describe("quota questions", () => {
  it.each(QUOTA)("%s → %s", (text, expected) => {
    expect(read(text)).toBe(expected);
  });
});

describe("questions metrics answer stay metric questions", () => {
  it.each(STAY_METRICS)("%s → %s", (text, expected) => {
    const deployments = text.includes("billing-logs") ? { deployments: ["billing-logs"] } : ctx;
    const r = parse(text, deployments);
    expect(r.kind === "question" ? `METRIC ${summarize(r.question)}` : `not a metric question: ${r.kind}`).toBe(expected);
  });
});

describe("what a table question says besides its kind", () => {
  const question = (text: string) => {
    const r = parse(text, ctx);
    if (r.kind !== "table") throw new Error(`${text} is not a table question`);
    return r.question;
  };

  it("titles the answer with what was asked", () => {
    expect(question("last 5 failed requests for gpt-4o-mini").topic).toBe("Last 5 failed requests — gpt-4o-mini");
    expect(question("who changed gpt-4o this week?").topic).toBe("Who changed gpt-4o (activity log)");
    expect(question("429s in the logs last hour").topic).toBe("429s by deployment (request logs)");
    expect(question("p95 latency of streaming calls on gpt-4o yesterday").topic).toBe("p95 latency (request logs) — gpt-4o");
  });

  it("says what the logs hold when they can't answer exactly what was asked", () => {
    expect(question("user agents").notes.join(" ")).toContain("not users, apps or user agents");
    expect(question("error messages for gpt-4o").notes.join(" ")).toContain("don't record error messages");
    expect(question("last 10 requests").notes.join(" ")).toContain("Only failed requests");
  });

  it("says which deployment an alias was read as", () => {
    expect(question("latest 429s for mini").notes).toContain('"mini" read as gpt-4o-mini (its model is a mini model).');
  });

  it("notes that percentiles are not compared with another window", () => {
    expect(question("p95 latency vs yesterday").notes).toContain("Percentiles are read for the window itself, not compared with another.");
  });
});

describe("what a table question can't be", () => {
  it.each([
    ["last 500 failed requests", "row_limit"],
    ["top 0 callers", "row_limit"],
    ["last 5 failed requests for gpt-5", "unknown_deployment"],
    ["who changed gpt-4o-maxi this week", "unknown_deployment"],
    ["logs for gpt-5", "unknown_deployment"],
    ["tokens in the logs", "not_understood"],
    ["quota for the weather", "not_understood"],
    ["latest 429s with 500 errors", "conflicting_status"],
    ["p95 latency by region", "percentile_scope"],
    ["p95 latency region=eastus", "percentile_scope"],
    ["p95 tokens", "percentile_not_available"],
    ["latest errors last quarter", "unread_time"],
    ["kql AzureDiagnostics | take 5", "not_understood"],
  ])("%s → %s", (text, code) => {
    expect(read(text)).toBe(`ERR ${code}`);
  });

  it("refuses more rows than a chat answer lists, and says how many it lists", () => {
    expect(() => parse("last 500 failed requests", ctx)).toThrow(RowLimitError);
    expect(() => parse("last 500 failed requests", ctx)).toThrow("I list up to 100 rows at a time; 500 is more.");
  });

  it("offers questions of the same topic when words are left unread", () => {
    try {
      parse("quota for the weather", ctx);
      expect.unreachable("not understood");
    } catch (err) {
      expect(err).toMatchObject({ code: "not_understood", message: 'I couldn\'t understand "weather" in a question about quota.', examples: TABLE_TOPICS.quota.examples });
    }
  });

  it("points raw KQL to its command", () => {
    expect(() => parse("kql AzureDiagnostics | take 5", ctx)).toThrow("Raw KQL is a command of its own: `kql <query>`, for the users listed in `kql.allowedUsers`.");
  });
});

describe("the phrasing table", () => {
  it("every phrasing names a topic, and every topic's examples read as that topic", () => {
    for (const p of TABLE_PHRASINGS) expect(TABLE_TOPICS[p.topic], String(p.pattern)).toBeDefined();
    for (const [id, topic] of Object.entries(TABLE_TOPICS)) {
      for (const example of topic.examples) {
        const r = parse(example, ctx);
        const kind = r.kind === "table" ? (r.question.kind === "logs" ? r.question.template : r.question.kind) : r.kind;
        // the logs examples may show their neighbours ("logs sample" under azure-metrics)
        expect(topic.kind === "logs" ? r.kind === "table" && r.question.kind === "logs" : kind === id, `${id}: ${example}`).toBe(true);
      }
    }
  });
});
