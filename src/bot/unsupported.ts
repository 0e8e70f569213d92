// Topics the bot can't answer yet, as a table: the words that ask about them, what reading them
// would need, and the closest questions it CAN answer. A question that names one is refused with
// those alternatives, never answered as another metric. (Percentiles have their own refusal in
// parse.ts, pointing to the resource logs; spend is estimated from tokens, spend-plan.ts.)
import { UserError } from "../queries/errors.ts";

/** Said instead of an answer: what can't be read yet, and the closest questions that can. */
export class CannotAnswerYetError extends UserError {
  readonly code = "cannot_answer_yet";
  readonly topic: string;

  constructor(topic: string, message: string, options: { readonly hint?: string; readonly examples: readonly string[] }) {
    super(message, options);
    this.topic = topic;
  }
}

export interface UnsupportedTopic {
  readonly id: "quota" | "alerts" | "logs";
  /** Lower-case words and phrases, matched on word boundaries. */
  readonly words: readonly string[];
  /** Where a bare word would be wrong ("rate limit" means 429s, "capacity used" PTU utilisation). */
  readonly patterns?: readonly RegExp[];
  readonly cantYet: string;
  readonly hint?: string;
  /** The closest questions that can be answered, for the deployment named (if any). */
  readonly instead: (deployment: string | undefined) => readonly string[];
}

const BOUNDARY_BEFORE = "(?<![a-z0-9-])";
// "alert(1)" is code pasted in, not a word
const BOUNDARY_AFTER = "(?![a-z0-9(-])";

export const UNSUPPORTED_TOPICS: readonly UnsupportedTopic[] = [
  {
    id: "quota",
    words: ["quota", "quotas", "tpm limit", "tpm limits", "rpm limit", "rpm limits", "token limit", "token limits", "request limit", "request limits", "headroom", "remaining capacity", "capacity left", "allocated tpm", "tpm allocation"],
    patterns: [new RegExp(`${BOUNDARY_BEFORE}(?<!rate[ -])limits?${BOUNDARY_AFTER}`), new RegExp(`${BOUNDARY_BEFORE}(?<!ptu )capacity(?! used)${BOUNDARY_AFTER}`)],
    cantYet: "I can't read deployment quotas yet (that needs the deployment's rate limits from Azure Resource Manager).",
    instead: (d) => (d ? [`peak tokens per minute for ${d} today`, `429s for ${d} last hour`, `peak requests per minute for ${d} today`] : ["peak tokens per minute by deployment today", "429s by deployment last hour", "PTU utilization by deployment today"]),
  },
  {
    id: "alerts",
    words: ["alert", "alerts", "alerting", "alert rule", "alert rules", "alarm", "alarms", "firing", "fired", "action group", "action groups"],
    cantYet: "I can't read Azure Monitor alerts or alert rules yet (that needs the Alerts Management API).",
    hint: "To be told in a channel when a figure crosses a threshold, a schedule can post a condition report (see `help`).",
    instead: (d) => (d ? [`how is ${d} doing?`, `errors for ${d} last hour`, `429s for ${d} last hour`] : ["is anything failing?", "errors by deployment last hour", "429s by deployment last hour"]),
  },
  {
    id: "logs",
    words: ["log", "logs", "log line", "log lines", "log analytics", "kql", "diagnostic logs", "request log", "request logs", "correlation id", "correlation ids", "request id", "request ids", "trace id", "caller", "callers", "who called", "who is calling", "who's calling", "which user", "which users", "which client", "which clients", "which ip", "which ips", "ip address", "ip addresses", "user agent", "user agents", "error message", "error messages", "stack trace", "individual requests", "each request"],
    patterns: [
      // "last failed requests", "latest 20 errors", "list of failed calls": single requests, not a count
      /(?<![a-z0-9-])(?:last|latest|most recent)\s+(?:\d+\s+)?(?:failed\s+|failing\s+)?(?:requests|calls|errors|failures)(?![a-z0-9-])/,
      /(?<![a-z0-9-])(?:list|show)\s+(?:me\s+)?(?:of\s+)?(?:the\s+)?(?:failed|failing)\s+(?:requests|calls)(?![a-z0-9-])/,
      /(?<![a-z0-9-])list\s+(?:of\s+)?(?:the\s+)?(?:errors|failures|requests|calls)(?![a-z0-9-])/,
    ],
    cantYet: "I can't list individual requests or read logs yet (that needs diagnostic settings sending the resource logs to a Log Analytics workspace).",
    hint: 'In Log Analytics: AzureDiagnostics | where Category == "RequestResponse" and toint(ResultSignature) >= 400 | project TimeGenerated, OperationName, ResultSignature, CorrelationId | take 50',
    instead: (d) => (d ? [`errors by status code for ${d} last hour`, `errors for ${d} last hour`, `latency for ${d} last hour`] : ["errors by status code last hour", "errors by deployment last hour", "429s by deployment last hour"]),
  },
];

const TOPIC_PATTERNS = UNSUPPORTED_TOPICS.map((t) => ({
  topic: t,
  // one alternation per topic, longest first: a question is scanned a handful of times, not once per word
  patterns: [new RegExp(`${BOUNDARY_BEFORE}(?:${[...t.words].sort((x, y) => y.length - x.length).map(escapeRe).join("|")})${BOUNDARY_AFTER}`), ...(t.patterns ?? [])],
}));

/** The topic `text` (normalised, lower case) asks about that can't be answered yet, if any. */
export function unsupportedTopic(text: string, deployments: readonly string[]): UnsupportedTopic | undefined {
  // a deployment named like a trigger word ("billing-logs") is a name, not a topic
  const unnamed = longestFirst(deployments).reduce((t, d) => t.replace(namePattern(d), (m) => " ".repeat(m.length)), text);
  return TOPIC_PATTERNS.find(({ patterns }) => patterns.some((p) => p.test(unnamed)))?.topic;
}

/** Throws the "can't yet" refusal when `text` asks about an unsupported topic. */
export function refuseUnsupported(text: string, deployments: readonly string[]): void {
  const topic = unsupportedTopic(text, deployments);
  if (topic === undefined) return;
  const named = longestFirst(deployments).find((d) => namePattern(d).test(text));
  throw new CannotAnswerYetError(topic.id, topic.cantYet, { ...(topic.hint === undefined ? {} : { hint: topic.hint }), examples: topic.instead(named) });
}

function longestFirst(names: readonly string[]): string[] {
  return [...names].sort((a, b) => b.length - a.length);
}

function namePattern(name: string): RegExp {
  return new RegExp(`(?<![a-z0-9._-])${escapeRe(name.toLowerCase())}(?![a-z0-9_-]|\\.[a-z0-9])`, "g");
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
