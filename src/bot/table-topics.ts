// Questions answered with a table (resource logs, the activity log, quota) as data: what people say
// → which kind of table question and which KQL template. table-parse.ts reads a text with these
// rows; the first phrasing that matches wins, so rows are ordered from the most specific.
//
// Questions metrics already answer ("429s by deployment", "errors by status code", "latency") stay on
// metrics: their phrasings here are `logsOnly`, taken only when the text asks the logs ("in the logs",
// "from log analytics", a leading `logs`). A `weak` phrasing ("changes", "capacity") claims the text
// only when every other word is understood here too; otherwise the metric parser reads it.
import type { LogTemplateId } from "../queries/table-questions.ts";

export type TableTopicId = LogTemplateId | "activity" | "quota";

/** What a topic reads besides deployments and the window. */
export type TopicPart = "limit" | "status" | "stream";

export interface TitleParts {
  readonly deployments: readonly string[];
  readonly limit?: number;
  /** The status as said ("429s", "5xx"). */
  readonly status?: string;
  readonly percentiles?: readonly number[];
}

export interface TableTopic {
  readonly kind: "logs" | "activity" | "quota";
  /** The answer's title; `p` says what else was read (a count, a status). */
  readonly title: (p: TitleParts) => string;
  readonly parts: readonly TopicPart[];
  /** Words that may be left over without changing what is asked ("top callers by requests"). */
  readonly accepts: readonly string[];
  /** Minutes of the default window (logs: the last hour; the activity log and quota: the last 24 hours). */
  readonly defaultMinutes: number;
  /** Offered when a question of this topic has words that weren't understood. */
  readonly examples: readonly string[];
}

const who = (d: readonly string[]) => (d.length > 0 ? ` — ${d.join(", ")}` : "");

export const TABLE_TOPICS: Readonly<Record<TableTopicId, TableTopic>> = {
  percentiles: { kind: "logs", title: (p) => `${(p.percentiles ?? []).map((v) => `p${String(v)}`).join("/") || "Percentile"} latency (request logs)${who(p.deployments)}`, parts: ["stream"], accepts: ["calls", "requests", "successful"], defaultMinutes: 60, examples: ["p95 latency for gpt-4o last 24h", "p99 latency of streaming calls on gpt-4o yesterday", "median latency by deployment today"] },
  "errors-by-deployment": { kind: "logs", title: (p) => `${p.status ?? "Errors"} by deployment (request logs)${who(p.deployments)}`, parts: ["status"], accepts: ["deployment", "deployments", "calls", "requests", "responses", "count", "counts"], defaultMinutes: 60, examples: ["429s in the logs last hour", "logs errors by deployment today", "logs 5xx for gpt-4o today"] },
  "error-codes": { kind: "logs", title: (p) => `Top ${p.limit === undefined ? "" : `${String(p.limit)} `}error codes (request logs)${who(p.deployments)}`, parts: ["limit", "status"], accepts: ["errors", "error", "failures", "calls", "requests", "most", "common", "frequent"], defaultMinutes: 60, examples: ["logs top error codes today", "logs top 5 error codes for gpt-4o this week", "result signatures last hour"] },
  "failed-requests": { kind: "logs", title: (p) => `Last ${p.limit === undefined ? "" : `${String(p.limit)} `}failed requests${p.status ? ` (${p.status})` : ""}${who(p.deployments)}`, parts: ["limit", "status"], accepts: ["requests", "calls", "errors", "failures", "failed", "ones", "list", "recent", "latest", "newest", "their", "with", "ids", "id"], defaultMinutes: 60, examples: ["last 10 failed requests for gpt-4o-mini", "latest errors today", "correlation ids of the 500s"] },
  callers: { kind: "logs", title: (p) => `Top ${p.limit === undefined ? "" : `${String(p.limit)} `}callers (request logs)${who(p.deployments)}`, parts: ["limit"], accepts: ["requests", "calls", "call", "calling", "traffic", "most", "heaviest", "biggest", "ip", "ips", "address", "addresses", "use", "uses", "using"], defaultMinutes: 60, examples: ["top callers today", "top 3 callers of gpt-4o-mini last hour", "which IPs call gpt-4o?"] },
  sample: { kind: "logs", title: () => "Sample of the resource logs (AzureDiagnostics)", parts: [], accepts: ["sample", "rows", "row", "entries", "records", "lines", "raw", "recent", "latest", "some", "few", "take"], defaultMinutes: 60, examples: ["logs sample", "logs sample for gpt-4o", "logs metrics"] },
  "azure-metrics": { kind: "logs", title: () => "Sample of AzureMetrics (metrics exported to the workspace)", parts: [], accepts: ["sample", "rows", "row", "entries", "records", "table", "take", "some", "few"], defaultMinutes: 60, examples: ["logs metrics", "AzureMetrics sample", "logs sample"] },
  absence: { kind: "logs", title: (p) => `Are request logs arriving?${who(p.deployments)}`, parts: [], accepts: ["rows", "row", "logs", "log", "requestresponse", "arriving", "still", "data", "entries", "records", "yet"], defaultMinutes: 60, examples: ["are logs arriving for gpt-4o?", "no RequestResponse rows for gpt-4o for 2 hours", "logs sample"] },
  activity: { kind: "activity", title: (p) => `${p.deployments.length > 0 ? `Who changed ${p.deployments.join(", ")}` : "What changed"} (activity log)`, parts: [], accepts: ["resource", "resources", "account", "accounts", "deployment", "deployments", "config", "configuration", "settings", "keys", "key", "network", "rules", "capacity", "version", "recent", "recently", "latest", "changes", "changed", "anything", "something", "anyone", "somebody", "someone", "made", "changed", "modified", "updated", "deployed", "redeployed", "created", "deleted", "removed", "scaled", "regenerated", "rotated", "change", "update", "deploy", "scale"], defaultMinutes: 1440, examples: ["what changed today?", "who changed gpt-4o this week?", "activity log yesterday"] },
  quota: { kind: "quota", title: (p) => `Quota and headroom${who(p.deployments)}`, parts: [], accepts: ["limit", "limits", "quota", "quotas", "capacity", "tpm", "rpm", "tokens", "requests", "close", "near", "left", "remaining", "headroom", "deployment", "deployments", "usage", "peak", "spillover", "spilled", "closest", "hitting"], defaultMinutes: 1440, examples: ["quota", "how close is gpt-4o to its limit?", "headroom by deployment this week"] },
};

export interface TablePhrasing {
  readonly topic: TableTopicId;
  readonly pattern: RegExp;
  /** Taken only when the text asks the logs (metrics answer it otherwise). */
  readonly logsOnly?: boolean;
  /** Claims the text only when nothing else is left unread. */
  readonly weak?: boolean;
  /** Said in the answer: what the logs hold instead of what was asked. */
  readonly note?: string;
}

const B = "(?<![a-z0-9-])";
const E = "(?![a-z0-9-])";
/** A count of rows: digits, or a few number words ("last ten errors"). */
export const COUNT = "(?<n>\\d{1,6}|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|hundred)";
const FAILED_NOUN = "(?:(?:failed|failing|unsuccessful|erroring|throttled|rejected)\\s+(?:requests|calls|ones)|errors|failures|429s|5xxs?|4xxs?|[1-5]\\d\\ds)";
const ONLY_FAILED = "Only failed requests (not answered 2xx) are listed from the request logs; `kql` can list any rows.";
const re = (source: string) => new RegExp(`${B}(?:${source})${E}`);

/** Ordered: the first phrasing that matches decides the topic. */
export const TABLE_PHRASINGS: readonly TablePhrasing[] = [
  // are the logs arriving at all (idle deployment, stopped pipeline, missing diagnostic setting)
  { topic: "absence", pattern: re("no\\s+(?:requestresponse\\s+|request\\s*response\\s+|request\\s+|resource\\s+|diagnostic\\s+)?(?:log\\s+)?(?:rows|logs|entries|records)") },
  { topic: "absence", pattern: re("(?:are|is)\\s+(?:the\\s+)?(?:request\\s+|resource\\s+|diagnostic\\s+)?(?:logs?|log\\s+rows|requestresponse(?:\\s+rows)?)\\s+(?:still\\s+)?(?:arriving|coming(?:\\s+in)?|flowing|landing|being\\s+written|ingested|working)") },
  { topic: "absence", pattern: re("logs?\\s+(?:stopped|missing|gone|delayed|late|not\\s+arriving|arriving|flowing|pipeline)|(?:missing|stopped|delayed)\\s+logs|logging\\s+(?:stopped|broken|working|down)|when\\s+did\\s+(?:the\\s+)?logs?\\s+stop|(?:any|got)\\s+logs|last\\s+log\\s+rows?") },
  // the activity log
  { topic: "activity", pattern: re("activity\\s+logs?|change\\s*(?:log|history)|audit\\s+trail|admin(?:istrative)?\\s+(?:events|operations|changes)") },
  { topic: "activity", pattern: re("who\\s+(?:has\\s+|have\\s+)?(?:changed|modified|updated|deployed|redeployed|created|deleted|removed|scaled|edited|touched|reconfigured|regenerated|rotated|configured)") },
  { topic: "activity", pattern: re("(?:deployments?|config(?:uration)?|network|firewall|diagnostic|key|keys|capacity|sku|version|resource|account)\\s+(?:rules?\\s+|settings?\\s+)?(?:changes|changed|updates|updated|regenerated|rotated)") },
  { topic: "activity", pattern: re("(?:any|recent|latest|last)\\s+changes|changes\\s+(?:on|to|in|made\\s+to)\\s+(?:the\\s+)?(?:resource|account|deployments?|config(?:uration)?|settings)") },
  { topic: "activity", pattern: re("what(?:'s|s|\\s+has|\\s+have)?\\s+changed|what\\s+changes"), weak: true },
  // "when was gpt-4o updated?": the verb is one of the words the topic accepts
  { topic: "activity", pattern: re("when\\s+(?:was|were|did|has|have)"), weak: true },
  { topic: "activity", pattern: re("changes|changed"), weak: true },
  // quota: deployments' limits (rateLimits) against their peak minute
  { topic: "quota", pattern: re("how\\s+(?:close|near)|close\\s+to\\s+(?:(?:its|the|their|our|my)\\s+)?(?:tpm\\s+|rpm\\s+|token\\s+|request\\s+|rate\\s+)?(?:limits?|quotas?|capacity|max(?:imum)?)") },
  { topic: "quota", pattern: re("(?:near|nearing|hitting|hit|reach|reaching|reached|at|over|exceeding|exceeded)\\s+(?:(?:its|the|their|our|my)\\s+)?(?:tpm\\s+|rpm\\s+|token\\s+|request\\s+)?(?:limits?|quotas?)") },
  { topic: "quota", pattern: re("quotas?|headroom|spill\\s*over|spillovers?|spilled|spilling|(?:tpm|rpm|token|tokens|request|requests|deployment)\\s+(?:limits?|quotas?|allocations?)|allocated\\s+(?:tpm|rpm|capacity|tokens)|tpm\\s+allocation|(?:remaining|available|spare|free|unused)\\s+capacity|capacity\\s+(?:left|remaining|available)") },
  // "rate limit(s)" is 429s, "ptu capacity"/"capacity used" is PTU utilisation
  { topic: "quota", pattern: new RegExp(`${B}(?<!rate[ -])limits?${E}`), weak: true },
  { topic: "quota", pattern: new RegExp(`${B}(?<!ptu )capacity(?! used)${E}`), weak: true },
  // single failed requests, not a count
  { topic: "failed-requests", pattern: re(`${COUNT}\\s+(?:last|latest|most\\s+recent|newest)\\s+${FAILED_NOUN}`) },
  { topic: "failed-requests", pattern: re(`(?:last|latest|most\\s+recent|newest)\\s+(?:${COUNT}\\s+)?${FAILED_NOUN}`) },
  { topic: "failed-requests", pattern: re(`(?:last|latest|most\\s+recent|newest)\\s+(?:${COUNT}\\s+)?(?:requests|calls)`), note: ONLY_FAILED },
  { topic: "failed-requests", pattern: re(`(?:show|list|display|give|get)\\s+(?:me\\s+)?(?:(?:a|the)\\s+)?(?:list\\s+of\\s+)?(?:the\\s+)?(?:last\\s+)?(?:${COUNT}\\s+)?(?:failed|failing|unsuccessful|erroring)\\s+(?:requests|calls)`) },
  { topic: "failed-requests", pattern: re("lists?\\s+(?:of\\s+)?(?:the\\s+)?(?:errors|failures|failed\\s+(?:requests|calls)|requests|calls)|recent\\s+(?:errors|failures|failed\\s+(?:requests|calls))") },
  { topic: "failed-requests", pattern: re("(?:correlation|request|trace|operation|client\\s+request)\\s+ids?|individual\\s+(?:requests|calls|errors)|each\\s+(?:request|call|error)") },
  { topic: "failed-requests", pattern: re("error\\s+messages?|error\\s+details?|stack\\s+traces?"), note: "The request logs don't record error messages: these are the failed requests with their status and correlation id, to look up in the calling application's logs." },
  // who is calling (caller IPs, masked as Azure masks them)
  { topic: "callers", pattern: re(`top\\s+(?:${COUNT}\\s+)?(?:callers|clients|ips|ip\\s+addresses|caller\\s+ips|client\\s+ips)`) },
  { topic: "callers", pattern: re("who(?:'s|s|\\s+is|\\s+are)?\\s+(?:calling|using|hitting|sending)|who\\s+(?:called|calls|uses|used|hit|hits)|where\\s+(?:are|do|does)\\s+(?:the\\s+)?(?:calls|requests|traffic)\\s+come\\s+from") },
  { topic: "callers", pattern: re("(?:which|what)\\s+(?:ips?|ip\\s+addresses|clients?|callers?)|callers?(?:\\s+ips?)?|client\\s+ips?|ip\\s+address(?:es)?|ips") },
  { topic: "callers", pattern: re("(?:which|what)\\s+(?:users?|apps?|applications?)|user\\s+agents?"), note: "The request logs record each caller's IP address (masked, last octet ***), not users, apps or user agents: these are the top caller IPs." },
  // result codes (metrics answer "errors by status code" unless the logs are asked)
  { topic: "error-codes", pattern: re("result\\s*signatures?") },
  { topic: "error-codes", pattern: re(`top\\s+(?:${COUNT}\\s+)?(?:error|status|result|response|http)\\s+codes|(?:error|status|result|response|http)\\s+codes?|errors?\\s+by\\s+(?:status\\s+)?codes?`), logsOnly: true },
  // AzureMetrics rows in the workspace (diagnostic settings can export metrics there too)
  { topic: "azure-metrics", pattern: re("azuremetrics|azure\\s+metrics\\s+(?:table|rows|sample)") },
  // asked of the logs
  { topic: "failed-requests", pattern: re("(?:failed|failing|unsuccessful|erroring)\\s+(?:requests|calls)"), logsOnly: true },
  { topic: "errors-by-deployment", pattern: re("[1-5]\\d\\d\\s+(?:errors?|responses?|calls|requests|failures)|429s?|429's|throttl(?:ed|ing|es?)|rate[- ]limit(?:ed|ing|s)?|too\\s+many\\s+requests|5xxs?|4xxs?|server\\s+errors?|client\\s+errors?|[1-5]\\d\\d(?:s|'s)|errors?|failures?|failed|fails"), logsOnly: true },
  { topic: "percentiles", pattern: re("latency|latencies|durations?|response\\s+times?|time\\s+to\\s+response|how\\s+long|slow(?:est|ness)?"), logsOnly: true },
  { topic: "azure-metrics", pattern: re("metrics?(?:\\s+table)?"), logsOnly: true },
  { topic: "sample", pattern: re("samples?|raw|rows|entries|records|lines|azurediagnostics(?:\\s+(?:rows|sample))?"), logsOnly: true },
];

/**
 * Words that say "from the resource logs": a leading `logs` (the command word), "in the logs", "from
 * log analytics". They force the log source and carry no other meaning, so they are blanked once read.
 */
export const LOG_SOURCE: readonly RegExp[] = [
  /^logs?(?![a-z0-9-])/,
  re("(?:in|from|on|using|via|per|through|out\\s+of|according\\s+to)\\s+(?:the\\s+)?(?:resource\\s+|request\\s+|diagnostic\\s+|azure\\s+)?(?:logs?|log\\s+analytics(?:\\s+workspace)?|workspace)"),
  re("log\\s+analytics(?:\\s+workspace)?|(?:resource|request|diagnostic)\\s+logs?|azurediagnostics|logs?"),
];

/** A status said with a log question: the words, and the status the template filters on. */
export const STATUS_WORDS: readonly { readonly pattern: RegExp; readonly status: { readonly kind: "exact"; readonly code: string } | { readonly kind: "class"; readonly prefix: string }; readonly label: string }[] = [
  { pattern: re("429s?|429's|throttl(?:ed|ing|es?)|rate[- ]limit(?:ed|ing|s)?|too\\s+many\\s+requests"), status: { kind: "exact", code: "429" }, label: "429s" },
  { pattern: re("5xxs?|server\\s+errors?|internal\\s+errors?"), status: { kind: "class", prefix: "5" }, label: "5xx" },
  { pattern: re("4xxs?|client\\s+errors?|bad\\s+requests"), status: { kind: "class", prefix: "4" }, label: "4xx" },
  // the code is read from the match: "status 503", "503 errors"
  { pattern: re("(?:status(?:\\s+code)?|http|code|result(?:\\s*signature)?)\\s+(?<code>[1-5]\\d\\d)|(?<code2>[1-5]\\d\\d)\\s+(?:errors?|responses?|calls|requests|failures)"), status: { kind: "exact", code: "" }, label: "" },
];

/** Words any table question may contain without meaning anything more. */
export const TABLE_FILLER: ReadonlySet<string> = new Set(
  "a an the of for on in at to by per with and or show me give get tell list display what whats what's which who whom whose when where why how is are was were be been being do does did has have had any some my our us we you your its it it's this that these those there much many please pls thanks thank can could would should will just see look let all every each so far now right currently current from during over since last past recent latest most more than about across up".split(" "),
);

export const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100 };

/** Rows a "last N"/"top N" may ask for (the templates' limit). */
export const MAX_ROWS = 100;
