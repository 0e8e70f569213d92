// Text → TableQuestion: questions answered with a table (resource logs, the activity log, quota),
// read with the phrasings of table-topics.ts and the parser's own grammar for the rest (windows,
// deployment names and aliases, status phrases, "last N"/"top N"). Whatever is left over must be
// filler, or the question is not understood; a weak phrasing then leaves the text to the metric parser.
import type { Dimension } from "../queries/catalog.ts";
import { closest, resolveDeployment } from "../queries/deployments.ts";
import { ConflictingStatusError, NotUnderstoodError, UnknownDeploymentError, UserError } from "../queries/errors.ts";
import type { Filters, Question, WindowSpec } from "../queries/question.ts";
import type { ActivityQuestion, LogQuestion, QuotaQuestion, TableQuestion } from "../queries/table-questions.ts";
import { takeAlias } from "./deployment-aliases.ts";
import { namePattern, namesIn } from "./name-patterns.ts";
import { GatedRows, lazyGate } from "./pattern-gate.ts";
import type { ParseContext } from "./parse.ts";
import { takeStatusCodes } from "./status-code-phrases.ts";
import { COUNT, LOG_SOURCE, MAX_ROWS, NUMBER_WORDS, STATUS_WORDS, TABLE_FILLER, TABLE_PHRASINGS, TABLE_TOPICS, type TablePhrasing } from "./table-topics.ts";
import { extractWindow } from "./time-phrases.ts";
import { refuseUnreadTime } from "./unread-words.ts";

/** "last 500 failed requests": more rows than a chat answer lists. */
export class RowLimitError extends UserError {
  readonly code = "row_limit";
}

/** "p95 latency by region": percentiles from the request logs are per deployment and stream type only. */
export class PercentileScopeError extends UserError {
  readonly code = "percentile_scope";
}

type LogStatus = NonNullable<LogQuestion["status"]>;

export function isTableQuestion(q: Question | TableQuestion): q is TableQuestion {
  return "kind" in q;
}

const WORDISH = /[a-z0-9]/;
/** "latency in the logs" without a percentile named: the usual three. */
const USUAL_PERCENTILES: readonly number[] = [50, 95, 99];
const LOG_SOURCE_ALL = LOG_SOURCE.map((p) => new RegExp(p.source, "gi"));
/** Most texts have no literal any of LOG_SOURCE needs ("log", "workspace"): one test, then the patterns where they may match. */
const mayAskLogs = lazyGate(() => LOG_SOURCE);
const saysLogs = (text: string) => mayAskLogs(text) && LOG_SOURCE.some((p) => p.test(text));
const COUNT_AFTER = new RegExp(`(?<![a-z0-9-])(?:top|last|latest|first|newest)\\s+${COUNT}(?![a-z0-9-])`);
const DEPLOYMENT_WORD = /(?<![a-z0-9-])deployment(?:\s+named|\s+called)?\s+([a-z0-9][a-z0-9._:-]*)/g;
const KEY_VALUE = /(?<![a-z0-9_])(deployment|deploymentname|modeldeploymentname|status|statuscode|resultsignature)\s*[=:]\s*("[^"]*"|'[^']*'|[^\s"']+)/g;

/** The log-source words ("in the logs", a leading `logs`) blanked, same length: a percentile question reads the rest as usual. */
export function withoutLogSource(text: string): string {
  return LOG_SOURCE_ALL.reduce((t, p) => t.replace(p, (m) => blank(m)), text);
}

/** Whether the text asks the resource logs ("in the logs", "from log analytics", a leading `logs`). */
export function asksLogs(text: string, deployments: readonly string[]): boolean {
  const unnamed = blankNames(text.toLowerCase(), deployments);
  return saysLogs(unnamed);
}

/**
 * The table question `cased` (normalised text, case kept) asks, or undefined when it is a metric
 * question. Percentile questions are read by the metric grammar and built by `percentileQuestion`.
 */
export function parseTable(cased: string, ctx: ParseContext): TableQuestion | undefined {
  const text = cased.toLowerCase();
  const unnamed = blankNames(text, ctx.deployments);
  const logs = saysLogs(unnamed);
  const hit = firstPhrasing(unnamed, logs);
  if (hit === undefined && !logs) return undefined;
  // "logs for gpt-4o", "show me the logs": a sample of the rows
  const phrasing: TablePhrasing = hit?.phrasing ?? { topic: "sample", pattern: /$^/ };
  const matched = hit ? hit.m[0] : "";
  const rest = hit ? blankAt(text, hit.m.index, matched.length) : text;
  return read(phrasing, matched, hit?.m.groups?.n, withoutLogSource(rest), cased, ctx, logs);
}

/** The phrasings in their order, all of them or those that don't need the logs asked: most texts match none. */
const ALL_PHRASINGS = new GatedRows(TABLE_PHRASINGS, (p) => p.pattern);
const METRIC_SAFE_PHRASINGS = new GatedRows(TABLE_PHRASINGS.filter((p) => p.logsOnly !== true), (p) => p.pattern);

function firstPhrasing(text: string, logs: boolean): { phrasing: TablePhrasing; m: RegExpExecArray } | undefined {
  const hit = (logs ? ALL_PHRASINGS : METRIC_SAFE_PHRASINGS).first(text);
  return hit && { phrasing: hit.row, m: hit.m };
}

function read(phrasing: TablePhrasing, matched: string, count: string | undefined, start: string, cased: string, ctx: ParseContext, logs: boolean): TableQuestion | undefined {
  const topic = TABLE_TOPICS[phrasing.topic];
  const deployments: string[] = [];
  const notes: string[] = phrasing.note ? [phrasing.note] : [];
  const addDeployment = (name: string) => {
    if (!deployments.includes(name)) deployments.push(name);
  };
  let status: { status: LogStatus; label: string } | undefined;
  const setStatus = (s: LogStatus, label: string) => {
    if (status !== undefined && JSON.stringify(status.status) !== JSON.stringify(s)) {
      throw new ConflictingStatusError(`"${status.label}" and "${label}" are two statuses; a log question filters on one.`, { hint: `Ask about one, e.g. "${topic.examples[0] ?? ""}".` });
    }
    status = { status: s, label };
  };
  const takesStatus = topic.parts.includes("status");

  // 1. deployment=… and status=… (values may be quoted)
  let rest = start.replace(KEY_VALUE, (whole, key: string, raw: string) => {
    const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
    if (key.startsWith("status") || key === "resultsignature") {
      if (!takesStatus || !/^[1-5]\d\d$/.test(value)) return whole;
      setStatus({ kind: "exact", code: value }, `${value}s`);
    } else addDeployment(ctx.deployments.length > 0 ? resolveDeployment(value, ctx.deployments) : value);
    return blank(whole);
  });

  // 2. the window, as metric questions read it
  const time = extractWindow(rest);
  if (time) rest = time.rest;
  const window: WindowSpec = time?.window ?? { kind: "relative", minutes: topic.defaultMinutes };

  // 3. deployments: "deployment X", known names (longest first), aliases ("mini", "the ptu deployment")
  rest = rest.replace(DEPLOYMENT_WORD, (whole, name: string) => {
    if (ctx.deployments.length === 0) {
      addDeployment(name);
      return blank(whole);
    }
    const known = ctx.deployments.find((d) => d.toLowerCase() === name);
    if (known === undefined) return whole;
    addDeployment(known);
    return blank(whole);
  });
  for (const name of namesIn(rest, ctx.deployments)) {
    const re = namePattern(name);
    if (re.test(rest)) {
      addDeployment(name);
      rest = rest.replace(re, (m) => blank(m));
    }
  }
  const facts = ctx.facts ?? ctx.deployments.map((name) => ({ name, models: [], provisioned: false }));
  for (let alias = facts.length > 0 ? takeAlias(rest, facts, cased.trim()) : undefined; alias; alias = takeAlias(rest, facts, cased.trim())) {
    for (const n of alias.names) addDeployment(n);
    notes.push(alias.note);
    rest = alias.rest;
  }

  // 4. a status ("429s", "5xx", "500 errors", "status 503"), where the template filters on one
  if (takesStatus) {
    for (const source of [matched, rest]) {
      let said = source;
      for (const w of STATUS_WORDS) {
        const m = w.pattern.exec(said);
        if (!m) continue;
        const code = m.groups?.code ?? m.groups?.code2;
        setStatus(code === undefined ? w.status : { kind: "exact", code }, code === undefined ? w.label : `${code}s`);
        said = said.replace(new RegExp(w.pattern.source, "g"), (x) => blank(x));
      }
      said = takeStatusCodes(said, () => false, (code) => {
        setStatus({ kind: "exact", code }, `${code}s`);
      });
      if (source === rest) rest = said;
    }
  }

  // 5. streaming or not (percentiles)
  let streamType: string | undefined;
  if (topic.parts.includes("stream")) {
    rest = rest.replace(/(?<![a-z0-9-])(non[- ]?streaming|non[- ]?streamed|streaming|streamed)(?![a-z0-9-])/g, (word: string) => {
      streamType = word.startsWith("non") ? "Non-Streaming" : "Streaming";
      return blank(word);
    });
  }

  // 6. how many rows: "last 10", "top 3"
  let said = count;
  if (said === undefined && topic.parts.includes("limit")) {
    const m = COUNT_AFTER.exec(rest);
    if (m) {
      said = m.groups?.n;
      rest = blankAt(rest, m.index, m[0].length);
    }
  }
  const limit = said === undefined ? undefined : rowCount(said);

  // 7. what is left must be filler here
  refuseUnreadTime(rest, cased.toLowerCase());
  const leftovers = rest.split(/[^a-z0-9._'-]+/).filter((w) => WORDISH.test(w) && !TABLE_FILLER.has(w) && !topic.accepts.includes(w) && !/^\d+$/.test(w));
  if (leftovers.length > 0) {
    if (phrasing.weak === true && !logs) return undefined;
    if (ctx.deployments.length > 0) {
      const named = [...rest.matchAll(/(?<![a-z0-9-])(?:for|of|on|to) ([a-z][a-z0-9._-]*)/g)].map((m) => m[1] ?? "").filter((w) => leftovers.includes(w));
      const unknown = leftovers.find(looksLikeDeployment) ?? named[0];
      if (unknown !== undefined) throw new UnknownDeploymentError(unknown, ctx.deployments, closest(unknown, ctx.deployments));
    }
    throw new NotUnderstoodError(`I couldn't understand "${leftovers.slice(0, 3).join(" ")}" in a question about ${ABOUT[topic.kind]}.`, {
      hint: HINT[topic.kind],
      examples: topic.examples,
    });
  }

  const percentiles = phrasing.topic === "percentiles" ? USUAL_PERCENTILES : undefined;
  const title = topic.title({ deployments, ...(limit === undefined ? {} : { limit }), ...(status ? { status: status.label } : {}), ...(percentiles ? { percentiles } : {}) });
  const base = { topic: title, window, deployments, notes };
  if (phrasing.topic === "activity") return { kind: "activity", ...base };
  if (phrasing.topic === "quota") return { kind: "quota", ...base };
  return {
    kind: "logs",
    template: phrasing.topic,
    ...base,
    ...(percentiles ? { percentiles } : {}),
    ...(streamType === undefined ? {} : { streamType }),
    ...(limit === undefined ? {} : { limit }),
    ...(status ? { status: status.status } : {}),
    ...(phrasing.topic === "absence" && window.kind === "relative" ? { silentMinutes: window.minutes } : {}),
  };
}

const ABOUT: Readonly<Record<"logs" | "activity" | "quota", string>> = { logs: "the resource logs", activity: "the activity log", quota: "quota" };
const HINT: Readonly<Record<"logs" | "activity" | "quota", string>> = {
  logs: "From the resource logs I answer: latency percentiles, errors and 429s by deployment, top error codes, the last failed requests, top callers, a sample of rows (`logs sample`, `logs metrics`), and whether logs are arriving.",
  activity: "From the activity log I answer what changed on the resource or a deployment, by whom and when, over a window (default: the last 24 hours).",
  quota: "For quota I show each deployment's TPM and RPM limits against its peak minute over a window (default: the last 24 hours).",
};

/**
 * The question over other deployments and another window (a follow-up keeps the previous question's):
 * its title and an absence question's silent minutes follow.
 */
export function rescoped(q: ActivityQuestion | QuotaQuestion | LogQuestion, window: WindowSpec, deployments: readonly string[]): TableQuestion {
  const parts = { deployments, ...(q.kind === "logs" && q.limit !== undefined ? { limit: q.limit } : {}), ...(q.kind === "logs" && q.status ? { status: statusLabel(q.status) } : {}), ...(q.kind === "logs" && q.percentiles ? { percentiles: q.percentiles } : {}) };
  const topic = TABLE_TOPICS[q.kind === "logs" ? q.template : q.kind].title(parts);
  if (q.kind !== "logs") return { ...q, topic, window, deployments };
  const { silentMinutes, ...rest } = q;
  // how long counts as silent is the window's length; a window of days ("today") leaves it to the query layer
  const silent = q.template === "absence" ? (window.kind === "relative" ? window.minutes : undefined) : silentMinutes;
  return { ...rest, topic, window, deployments, ...(silent === undefined ? {} : { silentMinutes: silent }) };
}

function statusLabel(s: LogStatus): string {
  return s.kind === "exact" ? `${s.code}s` : `${s.prefix}xx`;
}

/** What a percentile question read with the metric grammar asks of the request logs. */
export interface PercentileAsk {
  readonly values: readonly number[];
  readonly window: WindowSpec;
  readonly filters: Filters;
  readonly splitBy?: Dimension;
  readonly baseline?: Question["baseline"];
  readonly notes: readonly string[];
}

/** The read parts of a percentile question as the "percentiles" log template's question. */
export function percentileQuestion(p: PercentileAsk): LogQuestion {
  const allowed: readonly Dimension[] = ["ModelDeploymentName", "StreamType"];
  const other = (Object.keys(p.filters) as Dimension[]).find((d) => !allowed.includes(d) && (p.filters[d] ?? []).length > 0) ?? (p.splitBy !== undefined && !allowed.includes(p.splitBy) ? p.splitBy : undefined);
  if (other !== undefined) {
    throw new PercentileScopeError(`Percentiles come from the request logs, which I read per deployment and stream type: ${other} can't be applied.`, {
      hint: 'Ask per deployment, e.g. "p95 latency for gpt-4o today", or "p95 latency of streaming calls".',
      examples: TABLE_TOPICS.percentiles.examples,
    });
  }
  const deployments = [...(p.filters.ModelDeploymentName ?? [])];
  const streams = [...new Set(p.filters.StreamType ?? [])];
  const notes = [...p.notes, ...(p.baseline ? ["Percentiles are read for the window itself, not compared with another."] : [])];
  return {
    kind: "logs",
    template: "percentiles",
    topic: TABLE_TOPICS.percentiles.title({ deployments, percentiles: p.values }),
    window: p.window,
    deployments,
    percentiles: p.values,
    ...(streams.length === 1 && streams[0] !== undefined ? { streamType: streams[0] } : {}),
    notes,
  };
}

function rowCount(said: string): number {
  const n = NUMBER_WORDS[said] ?? Number.parseInt(said, 10);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ROWS) {
    throw new RowLimitError(`I list up to ${String(MAX_ROWS)} rows at a time; ${said} is ${n < 1 ? "too few" : "more"}.`, { hint: `Ask for 1 to ${String(MAX_ROWS)} rows, e.g. "last 20 failed requests"; \`kql\` results come as a CSV file with every row.` });
  }
  return n;
}

function blankNames(text: string, deployments: readonly string[]): string {
  // a deployment named like a trigger word ("billing-logs", "quota-test") is a name, not a topic
  return namesIn(text, deployments).reduce((t, d) => t.replace(namePattern(d), (m) => blank(m)), text);
}

function looksLikeDeployment(word: string): boolean {
  return /^[a-z][a-z0-9._]*-[a-z0-9._-]+$/.test(word) || (/[a-z]/.test(word) && /\d/.test(word) && word.length >= 4 && !/^\d+[a-z]{1,3}$/.test(word));
}

function blank(s: string): string {
  return " ".repeat(s.length);
}

function blankAt(text: string, index: number, length: number): string {
  return text.slice(0, index) + " ".repeat(length) + text.slice(index + length);
}
