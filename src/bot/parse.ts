// Text → Question. Each step lifts one kind of phrase out of the text (filters, time, split,
// deployments, intents) so later steps don't see it; whatever is left decides "not understood".
import { findMetric, metric, type Aggregation, type Dimension } from "../queries/catalog.ts";
import { closest, editDistance, resolveDeployment } from "../queries/deployments.ts";
import { NotUnderstoodError, UnknownDeploymentError } from "../queries/errors.ts";
import { assertSafeValue } from "../queries/filter.ts";
import { DEFAULT_TOP, DEFAULT_WINDOW, type MetricAsk, type Question, type WindowSpec } from "../queries/question.ts";
import { closestExamples } from "./examples.ts";
import { AGGREGATION_WORDS, DIMENSION_WORDS, INTENTS, type Intent } from "./intents.ts";
import { extractBaseline } from "./baseline-phrases.ts";
import { extractWindow } from "./time-phrases.ts";
import { PROVISIONED_ALIAS, resolveAlias, takeAlias } from "./deployment-aliases.ts";
import { percentileIntent, takePercentiles } from "./percentile-phrases.ts";
import type { DeploymentFacts } from "../queries/deployment-facts.ts";
import { verdictQuestion } from "./verdict-question.ts";
import { estimateIntents } from "./estimate-intents.ts";
import { refuseUnreadTime } from "./unread-words.ts";
import { refuseUnsupported } from "./unsupported.ts";
import { takeStatusCodes } from "./status-code-phrases.ts";
import { peakOf, takeShare } from "./share-words.ts";
import { takeFuzzyPhrases } from "./fuzzy-phrases.ts";
import type { TableQuestion } from "../queries/table-questions.ts";
import { parseTable, percentileQuestion, withoutLogSource } from "./table-parse.ts";
import { escapeRe, namePattern, namesIn } from "./name-patterns.ts";
import { lazyGate } from "./pattern-gate.ts";

export const MAX_QUESTION_LENGTH = 500;

export interface ParseContext {
  /** Deployment names the configured resources really have. */
  readonly deployments: readonly string[];
  /** What the resources report about them (models, provisioned), for aliases; without it, names stand in for models. */
  readonly facts?: readonly DeploymentFacts[];
}

export type Parsed = { readonly kind: "help" } | { readonly kind: "question"; readonly question: Question } | { readonly kind: "table"; readonly question: TableQuestion };

const KQL_WORD = /^kql(?![a-z0-9-])/;
const HELP = /^(?:help|\?|h|examples?|usage|commands|what can you do|what can i ask|how does this work|start|hi|hello|hey)$/;
const KEY_VALUE = /\b([A-Za-z_]+)\s*[=:]\s*("[^"]*"|'[^']*'|\S+)/g;
const WORDISH = /[a-z0-9]/;
const BARE_PTU = /(?<![a-z0-9-])(?:ptus?|provisioned)(?![a-z0-9-])/;
const PTU_FIGURE = /\b(?:utili[sz]ation|capacity|usage)\b/;
const TOP_WITHOUT_NUMBER = /\btop\s+(deployments?|models?|regions?|operations?|apis?)\b/;
/** "fastest deployments", "lowest availability": rank split rows from the smallest figure up. */
const ASCENDING = /\b(?:fastest|lowest|least|best|quietest|smallest|fewest)\b/;
/** Words that carry no meaning for the query; anything else left over is "not understood". */
const FILLER = new Set(
  "a an the of for on in at to by per with and or vs versus compared against show me give get tell what whats what's was were is are be been how many much did does do my our we us all any please pls thanks thank you there last past eq ne sw detected detect seen shown over during current currently now right so far far over since between from was calls call got get getting see seen see any some value values metric metrics number figure figures stats statistics report chart graph trend trends about across each every which who when where why numbers rate rates level levels happening happened going on look looking like it its it's this that these those been have has had i can could would should will just".split(" "),
);

/**
 * Longer raw text is refused before any normalisation runs on it, so the work per message is
 * bounded whatever arrives (Slack allows 40,000 characters, Teams about 28 KB, a forged request more).
 * Room above MAX_QUESTION_LENGTH for doubled spaces and invisible characters that normalisation
 * removes (adapters strip their markup first and pass overlong text on unchanged).
 */
export const MAX_INPUT_LENGTH = MAX_QUESTION_LENGTH * 4;

export function parse(input: string, ctx: ParseContext): Parsed {
  if (input.length > MAX_INPUT_LENGTH) throw tooLong(input.length);
  const cased = normalize(input, false);
  const text = cased.toLowerCase();
  if (text.length === 0 || HELP.test(text)) return { kind: "help" };
  if (text.length > MAX_QUESTION_LENGTH) throw tooLong(text.length);
  if (KQL_WORD.test(text)) throw new NotUnderstoodError("Raw KQL is a command of its own: `kql <query>`, for the users listed in `kql.allowedUsers`.", { examples: ["logs sample", "last 10 failed requests", "logs top error codes today"] });
  // "p99 latency for gpt-4o 24h": the percentile words are lifted out, the rest read as usual; the request logs answer it
  const percentile = takePercentiles(cased);
  // resource logs, the activity log, quota: answered with a table (table-parse.ts)
  if (!percentile) {
    const table = parseTable(cased, ctx);
    if (table) return { kind: "table", question: table };
  }
  // alerts: refused with what can be answered, never answered as another metric
  refuseUnsupported(text, ctx.deployments);

  const filters: { -readonly [D in Dimension]?: string[] } = {};
  const explicitMetrics: MetricAsk[] = [];
  const add = (dim: Dimension, value: string) => {
    assertSafeValue(dim, value);
    (filters[dim] ??= []).push(value);
  };

  // 1. key=value filters, e.g. deployment=gpt-4o, status=429, metric=TotalCalls; values keep their case
  let rest = (percentile ? withoutLogSource(percentile.rest) : cased).replace(KEY_VALUE, (whole, rawKey: string, raw: string) => {
    const key = rawKey.toLowerCase();
    const quoted = raw.length >= 2 && (raw.startsWith('"') || raw.startsWith("'")) && raw.endsWith(raw.charAt(0));
    const value = quoted ? raw.slice(1, -1) : raw;
    if (key === "metric" || key === "metricname" || key === "metrics") {
      for (const name of value.split(",")) explicitMetrics.push(askForMetric(name));
      return blank(whole);
    }
    const dim = dimensionFor(key.replace(/_/g, " "));
    if (!dim) return whole;
    assertSafeValue(dim, value);
    if (dim === "ModelDeploymentName") add(dim, ctx.deployments.length > 0 ? resolveDeployment(value, ctx.deployments) : value);
    else add(dim, value);
    return blank(whole);
  });
  rest = rest.toLowerCase();

  // 2. what to compare with ("vs yesterday"), then the time window
  const shifted = extractBaseline(rest);
  if (shifted) rest = shifted.rest;
  let window: WindowSpec = DEFAULT_WINDOW;
  const time = extractWindow(rest);
  if (time) {
    window = time.window;
    rest = time.rest;
  }

  // 3. split and top-N
  let splitBy: Dimension | undefined;
  let top: number | undefined;
  // both "top" patterns start with the word: most texts don't have it
  const saysTop = rest.includes("top");
  const topMatch = saysTop ? /\btop\s+(\d{1,3})(?:\s+([a-z][a-z ]*?))?(?=\s|$)/.exec(rest) : null;
  if (topMatch) {
    top = Math.max(1, Math.min(50, Number.parseInt(topMatch[1] ?? "5", 10)));
    const word = topMatch[2]?.trim();
    const dim = word ? dimensionFor(word) : undefined;
    splitBy = dim ?? "ModelDeploymentName";
    rest = blankMatch(rest, topMatch.index, dim ? topMatch[0].length : `top ${topMatch[1] ?? ""}`.length);
  }
  // "top deployments (by requests)": no number is the default top N
  const topWord = topMatch || !saysTop ? null : TOP_WITHOUT_NUMBER.exec(rest);
  if (topWord) {
    top = DEFAULT_TOP;
    splitBy = dimensionFor(topWord[1] ?? "") ?? "ModelDeploymentName";
    rest = blankMatch(rest, topWord.index, topWord[0].length);
  }
  const split = SPLIT.exec(rest);
  // a second "by X" is found once the first is blanked; without a first there is none
  const extraSplit = split ? SPLIT_ALL.exec(rest.replace(SPLIT, (m) => blank(m))) : null;
  const splitMatch = split ?? /\b(?:which|slowest|fastest|busiest|worst|best)\s+(deployment|model|region|operation|api)s?\b/.exec(rest);
  if (splitMatch) {
    splitBy = dimensionFor(splitMatch[1] ?? "") ?? splitBy;
    // "slowest deployment": keep the signal word for the intent step
    const keep = /^(slowest|fastest|busiest)\b/.exec(splitMatch[0])?.[0].length ?? 0;
    rest = blankMatch(rest, splitMatch.index + keep, splitMatch[0].length - keep);
  }

  // 4. "deployment X" / "model X" / "region X": the word says which dimension ("model gpt-4o" is not the deployment gpt-4o)
  rest = rest.replace(/\b(deployment|model|region|operation|api)(?:\s+named|\s+called)?\s+([a-z0-9][a-z0-9._:-]*)/g, (whole, key: string, value: string) => {
    const dim = dimensionFor(key);
    if (!dim || isVocabulary(value)) return whole;
    add(dim, dim === "ModelDeploymentName" && ctx.deployments.length > 0 ? resolveDeployment(value, ctx.deployments) : value);
    return blank(whole);
  });
  rest = rest.replace(/\b(?:status(?:\s+code)?|http|with|code)\s+([1-5]\d{2})\b/g, (whole, code: string) => {
    add("StatusCode", code);
    return blank(whole);
  });
  rest = takeStatusCodes(rest, (w) => PHRASE_TEXTS.has(w), (code) => {
    add("StatusCode", code);
  });
  if (rest.includes("stream")) rest = rest.replace(/\b(non[- ]?streaming|streaming|streamed)\b/g, (word: string) => {
    add("StreamType", word.startsWith("non") ? "Non-Streaming" : "Streaming");
    return blank(word);
  });
  // known deployment names anywhere, longest first so gpt-4o-mini is not read as gpt-4o
  for (const name of namesIn(rest, ctx.deployments)) {
    const re = namePattern(name);
    if (re.test(rest)) {
      if (!(filters.ModelDeploymentName ?? []).includes(name)) add("ModelDeploymentName", name);
      rest = rest.replace(re, (m) => blank(m));
    }
  }
  // aliases read from what the resources report: "embeddings", "mini", "the ptu deployment"
  const facts = ctx.facts ?? ctx.deployments.map((name) => ({ name, models: [], provisioned: false }));
  const aliasNotes: string[] = [];
  const useAlias = (names: readonly string[], note: string) => {
    for (const n of names) if (!(filters.ModelDeploymentName ?? []).includes(n)) add("ModelDeploymentName", n);
    aliasNotes.push(note);
  };
  for (let hit = facts.length > 0 ? takeAlias(rest, facts, input.trim()) : undefined; hit; hit = takeAlias(rest, facts, input.trim())) {
    useAlias(hit.names, hit.note);
    rest = hit.rest;
  }

  // 5. explicit metric REST names (TotalCalls, AzureOpenAIRequests...)
  rest = rest.replace(/\b[a-z][a-z0-9]{5,}\b/g, (word) => {
    if (INTENT_WORDS.has(word)) return word;
    const m = findMetric(word);
    if (!m) return word;
    explicitMetrics.push(askForMetric(m.name));
    return blank(word);
  });

  // 6. intents and aggregation words
  const aggregation = takeAggregation(rest);
  const read = takeIntents(aggregation.rest);
  const found = takeShare(aggregation.value === "Maximum" ? peakOf(read.intents, INTENTS) : read.intents, read.rest, INTENTS, isVocabulary);
  rest = found.rest;

  // 7. what is left must be filler; a time word left unread is refused, a deployment-like leftover is a near miss
  refuseUnreadTime(rest, text);
  const leftovers = rest.split(/[^a-z0-9._'-]+/).filter((w) => WORDISH.test(w) && !FILLER.has(w) && !/^\d+$/.test(w));
  if (ctx.deployments.length > 0) {
    // a name-like word, or the word right after "for"/"of"/"on", that matched nothing is a deployment we don't have
    // the pattern reads "for ", "of " or "on " before the word: without them there is nothing to read
    const named = () => (!rest.includes("for ") && !rest.includes("of ") && !rest.includes("on ") ? undefined : [...rest.matchAll(/\b(?:for|of|on) ([a-z][a-z0-9._-]*)/g)].map((m) => m[1] ?? "").find((w) => !isVocabulary(w)));
    const unknown = leftovers.find((w) => looksLikeDeployment(w)) ?? named();
    if (unknown !== undefined) throw new UnknownDeploymentError(unknown, ctx.deployments, closest(unknown, ctx.deployments));
  }
  // "provisioned latency": a bare "ptu"/"provisioned" beside another signal names the deployment, not PTU utilisation
  const ptuNamesDeployment = facts.length > 0 && found.intents.some((i) => i.id === "ptu") && found.intents.some((i) => i.id !== "ptu" && i.id !== "health") && BARE_PTU.test(text) && !PTU_FIGURE.test(text);
  if (ptuNamesDeployment) {
    const alias = resolveAlias(PROVISIONED_ALIAS, BARE_PTU.exec(text)?.[0] ?? "ptu", false, facts, input.trim());
    useAlias(alias.names, alias.note);
  }
  const kept = ptuNamesDeployment ? found.intents.filter((i) => i.id !== "ptu") : found.intents;
  const intents = estimateIntents(kept.filter((i) => !yields(i, kept)));
  const named = filters.ModelDeploymentName !== undefined;

  let asks: MetricAsk[] = explicitMetrics.map((a) => (aggregation.value ? withAggregation(a, aggregation.value) : a));
  for (const intent of intents) {
    if (intent.id === "health" && explicitMetrics.length > 0) continue;
    asks.push(...intent.asks.map((a) => (aggregation.value && !intent.fixedAggregation ? withAggregation(a, aggregation.value) : a)));
  }
  if (percentile) {
    const latency = percentileIntent(intents, INTENTS);
    if (!intents.includes(latency)) intents.splice(0, intents.length, latency);
    asks = [...latency.asks];
  }
  if (asks.length === 0 && leftovers.length === 0 && (Object.keys(filters).length > 0 || time !== undefined || top !== undefined)) {
    // "gpt-4o 24h": a deployment or a window and nothing else reads as "how is it doing";
    // "status code 429 today": other filters alone read as "how many requests"
    const onlyDeployment = Object.keys(filters).every((k) => k === "ModelDeploymentName");
    // "top deployments": ranked by requests
    const fallback = INTENTS.find((i) => i.id === (onlyDeployment && top === undefined ? "health" : "calls"));
    if (fallback) {
      intents.push(fallback);
      asks = [...fallback.asks];
    }
  }
  if (asks.length === 0) {
    throw new NotUnderstoodError(`I couldn't tell which metric "${input.trim().slice(0, 80)}" is about.`, {
      hint: "Name a signal (latency, 429s, errors, tokens, PTU utilisation, content filter blocks) and optionally a deployment and a window.",
      examples: closestExamples(text),
    });
  }
  if (asks.length > 1 && leftovers.length > 0 && intents.length === 0) {
    throw new NotUnderstoodError(`I couldn't understand "${leftovers.slice(0, 3).join(" ")}".`, { examples: closestExamples(text) });
  }
  const uniqueAsks = dedupeAsks(asks);
  const defaultSplit = intents.find((i) => i.defaultSplit !== undefined)?.defaultSplit;
  const effectiveSplit = splitBy ?? (named ? undefined : defaultSplit);
  const notes = [...new Set(intents.flatMap((i) => (i.note ? [i.note] : [])))];
  notes.push(...aliasNotes);
  if (extraSplit && effectiveSplit !== undefined) notes.push(`Answers split by one dimension at a time: showing by ${effectiveSplit}; ask again "by ${extraSplit[1] ?? ""}" for the other.`);
  if (aggregation.value && asks.some((a) => a.aggregation !== aggregation.value)) {
    const fixed = uniqueAsks.filter((a) => !metric(a.metric).aggregations.includes(aggregation.value!));
    if (fixed.length > 0) notes.push(`${fixed.map((a) => a.metric).join(", ")} only has ${fixed.map((a) => a.aggregation.toLowerCase()).join("/")} values, so that is shown.`);
  }
  if (percentile) {
    return { kind: "table", question: percentileQuestion({ values: percentile.values, window, filters, ...(splitBy === undefined ? {} : { splitBy }), ...(shifted ? { baseline: shifted.baseline } : {}), notes }) };
  }
  // "is anything wrong?", "is gpt-4o down?": over every deployment, the named ones its focus
  const verdict = explicitMetrics.length === 0 && intents.some((i) => i.verdict === true);
  return {
    kind: "question",
    question: verdictQuestion(verdict, ctx.deployments, {
      topic: topicOf(intents, explicitMetrics),
      asks: uniqueAsks.map((a) => (metric(a.metric).aggregations.includes(a.aggregation) ? a : { ...a, aggregation: metric(a.metric).defaultAggregation })),
      window,
      filters,
      ...(effectiveSplit === undefined ? {} : { splitBy: effectiveSplit }),
      ...(top === undefined ? {} : { top }),
      ...(ASCENDING.test(text) ? { order: "asc" as const } : {}),
      ...(shifted ? { baseline: shifted.baseline } : {}),
      ...(intents.some((i) => i.estimate === "spend") ? { estimate: "spend" as const } : {}),
      notes,
    }),
  };
}

function tooLong(length: number): NotUnderstoodError {
  return new NotUnderstoodError(`That question is ${length} characters long; I read questions of up to ${MAX_QUESTION_LENGTH}.`, { hint: "Ask one short question at a time.", examples: closestExamples("") });
}

/**
 * Compatibility forms folded (fullwidth, ligatures), invisible characters and end punctuation gone; lower case unless asked to keep it.
 * Plain text only: each adapter strips its platform's markup (Slack's <@U…>, Teams' <at>) first.
 * Every pattern here runs in linear time: no pattern can restart a long scan at each position
 * (trailing dots are cut without a regex).
 */
export function normalize(input: string, lower = true): string {
  // ASCII text is its own NFKC form and has none of the characters folded below: most questions
  const ascii = !NOT_ASCII.test(input);
  const folded = ascii ? input : input.normalize("NFKC");
  const cased = lower ? folded.toLowerCase() : folded;
  const spaced = (ascii ? cased : cased
    .replace(/[\u200b-\u200f\u2060\ufeff\u00ad]/g, "")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e]/g, '"'))
    .replace(/[?!;,]+/g, " ");
  // single spaces are already what the fold makes of whitespace: most questions have nothing else
  const text = (WHITESPACE_TO_FOLD.test(spaced) ? spaced.replace(/\s+/g, " ") : spaced).trim();
  return trimTrailingDots(text).trim();
}

const NOT_ASCII = /[\u0080-\uffff]/;
/** A run of whitespace, or whitespace other than a plain space. */
const WHITESPACE_TO_FOLD = /\s\s|[^\S ]/;

function trimTrailingDots(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2e) end--;
  return text.slice(0, end);
}

function askForMetric(name: string): MetricAsk {
  const m = findMetric(name.trim());
  if (!m) {
    throw new NotUnderstoodError(`"${name.trim()}" is not a metric I know.`, { hint: "Ask `aoai metrics` for the list, or ask in plain words, e.g. \"latency\".", examples: closestExamples(name) });
  }
  return { metric: m.name, aggregation: m.defaultAggregation, label: m.displayName };
}

function withAggregation(ask: MetricAsk, aggregation: Aggregation): MetricAsk {
  if (!metric(ask.metric).aggregations.includes(aggregation) || ask.aggregation === aggregation) return ask;
  const prefix = { Maximum: "Max", Minimum: "Min", Average: "Average", Total: "Total", Count: "Count of" }[aggregation];
  return { ...ask, aggregation, label: `${prefix} ${ask.label.charAt(0).toLowerCase()}${ask.label.slice(1)}` };
}

function dedupeAsks(asks: readonly MetricAsk[]): MetricAsk[] {
  if (asks.length < 2) return [...asks];
  const seen = new Set<string>();
  return asks.filter((a) => {
    // metric and aggregation are catalog names (no NUL); the status as JSON, as a whole-array key had it
    const key = `${a.metric}\u0000${a.aggregation}\u0000${a.status === undefined ? "-" : statusKey(a.status)}\u0000${a.figure === undefined ? "-" : `=${a.figure}`}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Statuses are mostly the intent table's own objects (read-only): each one's JSON is written once. */
const STATUS_KEYS = new WeakMap<NonNullable<MetricAsk["status"]>, string>();
function statusKey(status: NonNullable<MetricAsk["status"]>): string {
  let key = STATUS_KEYS.get(status);
  if (key === undefined) {
    key = JSON.stringify(status);
    STATUS_KEYS.set(status, key);
  }
  return key;
}

function topicOf(intents: readonly Intent[], explicit: readonly MetricAsk[]): string {
  const parts = [...explicit.map((a) => a.metric), ...intents.map((i) => i.topic)];
  return parts.length > 0 ? [...new Set(parts)].join(" and ") : "Metrics";
}

interface Phrase {
  readonly text: string;
  readonly intent: Intent;
}
const PHRASES: readonly Phrase[] = INTENTS.flatMap((intent) => intent.phrases.map((text) => ({ text, intent }))).sort((a, b) => b.text.length - a.text.length);
/** Each phrase between word boundaries, compiled the first time a text has the phrase. */
const PHRASE_PATTERNS = new Map<string, RegExp>();
function phrasePattern(text: string): RegExp {
  let re = PHRASE_PATTERNS.get(text);
  if (re === undefined) {
    re = new RegExp(`(?<![a-z0-9-])${escapeRe(text)}(?![a-z0-9-])`, "g");
    PHRASE_PATTERNS.set(text, re);
  }
  return re;
}
const INTENT_WORDS = new Set(PHRASES.flatMap((p) => p.text.split(" ")));
const SINGLE_WORDS = PHRASES.filter((p) => !p.text.includes(" ") && p.text.length >= 5);
const PHRASE_TEXTS: ReadonlySet<string> = new Set(PHRASES.map((p) => p.text));
const FUZZY_PHRASES = PHRASES.filter((p) => p.text.includes(" ")).map((p) => ({ words: p.text.split(" "), value: p.intent }));
/** A phrase's first word: its characters up to the first one a word boundary of PHRASE_PATTERNS stops at. */
const NOT_WORD = /[^a-z0-9-]+/;
/** Positions in PHRASES by first word ("" for a phrase that starts with another character: always tried). */
const PHRASES_BY_HEAD = PHRASES.reduce((byHead, p, i) => {
  const head = p.text.split(NOT_WORD)[0] ?? "";
  byHead.set(head, [...(byHead.get(head) ?? []), i]);
  return byHead;
}, new Map<string, number[]>());

/**
 * The phrases that may match `text`, in PHRASES order. Wherever a phrase's pattern matches, its first
 * word is a whole word of the text (the pattern is bounded where words are, and blanking earlier
 * phrases only turns whole matches into spaces), so a phrase whose first word the text lacks is skipped.
 */
function candidatePhrases(text: string): Phrase[] {
  const positions: number[] = [...(PHRASES_BY_HEAD.get("") ?? [])];
  for (const word of text.split(NOT_WORD)) {
    const at = PHRASES_BY_HEAD.get(word);
    if (at !== undefined) for (const i of at) positions.push(i);
  }
  positions.sort((a, b) => a - b);
  const phrases: Phrase[] = [];
  for (let k = 0; k < positions.length; k++) if (k === 0 || positions[k] !== positions[k - 1]) phrases.push(PHRASES[positions[k]!]!);
  return phrases;
}

function takeIntents(text: string): { intents: Intent[]; rest: string } {
  let rest = text;
  const intents: Intent[] = [];
  const note = (i: Intent) => {
    if (!intents.includes(i)) intents.push(i);
  };
  for (const p of candidatePhrases(text)) {
    // the pattern is the phrase between word boundaries: absent as a substring, it can't match
    if (!rest.includes(p.text)) continue;
    const re = phrasePattern(p.text);
    re.lastIndex = 0;
    if (re.test(rest)) {
      note(p.intent);
      rest = rest.replace(re, (m) => blank(m));
    }
  }
  rest = takeFuzzyPhrases(rest, FUZZY_PHRASES, (w) => !isVocabulary(w), typoDistance, note);
  // typos: a leftover word one or two edits from a phrase word ("latncy", "thorttled")
  rest = rest.replace(/[a-z]{5,}/g, (word) => {
    if (FILLER.has(word)) return word;
    const hit = SINGLE_WORDS.find((p) => Math.abs(p.text.length - word.length) <= 2 && typoDistance(word, p.text) <= (p.text.length >= 9 ? 2 : 1));
    if (!hit) return word;
    note(hit.intent);
    return blank(word);
  });
  return { intents, rest };
}

function yields(intent: Intent, all: readonly Intent[]): boolean {
  const others = all.filter((o) => o !== intent && o.yieldsTo !== "any");
  if (intent.yieldsTo === "any") return others.length > 0 || all.some((o) => o !== intent && o.yieldsTo === "any" && INTENTS.indexOf(o) < INTENTS.indexOf(intent));
  return others.some((o) => intent.yieldsTo?.includes(o.id) ?? false);
}

const AGGREGATION_PATTERNS = AGGREGATION_WORDS.flatMap(({ aggregation, words }) => words.map((w) => ({ aggregation, re: new RegExp(`(?<![a-z0-9-])${escapeRe(w)}(?![a-z0-9-])`) })));
const AGGREGATION_WORD_SET: ReadonlySet<string> = new Set(AGGREGATION_WORDS.flatMap((a) => a.words));
/** Most questions name no aggregation: one test instead of one per word. */
const saysAggregation = lazyGate(() => AGGREGATION_PATTERNS.map((p) => p.re));

function takeAggregation(text: string): { value: Aggregation | undefined; rest: string } {
  if (!saysAggregation(text)) return { value: undefined, rest: text };
  for (const { aggregation, re } of AGGREGATION_PATTERNS) {
    const m = re.exec(text);
    // "peak tokens per minute", "max rpm": the word belongs to an intent's phrase, not to the aggregation
    if (m && !insidePhrase(text, m.index, m[0].length)) return { value: aggregation, rest: blankMatch(text, m.index, m[0].length) };
  }
  return { value: undefined, rest: text };
}

/** Phrases an aggregation word can sit inside: "peak rpm", "req/min". */
const MULTI_WORD_PHRASES = PHRASES.filter((p) => /[^a-z0-9]/.test(p.text));

/** The multi-word phrases holding each aggregation word, listed the first time the word is read. */
const PHRASES_HOLDING = new Map<string, readonly Phrase[]>();

function insidePhrase(text: string, index: number, length: number): boolean {
  const word = text.slice(index, index + length);
  let holding = PHRASES_HOLDING.get(word);
  if (holding === undefined) {
    holding = MULTI_WORD_PHRASES.filter((p) => p.text.includes(word));
    // the words are the aggregation table's, so this stays small; any other text is not remembered
    if (AGGREGATION_WORD_SET.has(word)) PHRASES_HOLDING.set(word, holding);
  }
  // a phrase's pattern can only match where the text has the phrase itself
  return holding.some((p) => text.includes(p.text) && [...text.matchAll(phrasePattern(p.text))].some((m) => m.index <= index && index + length <= m.index + m[0].length));
}

function dimensionFor(word: string): Dimension | undefined {
  const w = word.trim();
  return DIMENSION_WORDS.find((d) => d.words.includes(w))?.dimension;
}

const DIMENSION_ALTERNATION = DIMENSION_WORDS.flatMap((d) => d.words)
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join("|");
const SPLIT_ALL = new RegExp(`\\b(?:split by|broken down by|grouped by|group by|breakdown by|by|per|for each|each)\\s+(${DIMENSION_ALTERNATION})\\b`);
const SPLIT = new RegExp(`\\b(?:split by|broken down by|grouped by|group by|breakdown by|by|per|for each|each)\\s+(${DIMENSION_ALTERNATION})\\b`);

function looksLikeDeployment(word: string): boolean {
  return /^[a-z][a-z0-9._]*-[a-z0-9._-]+$/.test(word) || (/[a-z]/.test(word) && /\d/.test(word) && word.length >= 4 && !/^\d+[a-z]{1,3}$/.test(word));
}

function isVocabulary(word: string): boolean {
  return FILLER.has(word) || INTENT_WORDS.has(word) || DIMENSION_WORDS.some((d) => d.words.includes(word));
}

function typoDistance(a: string, b: string): number {
  // a swap of neighbours ("ltaency") is one slip of the fingers, not two
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
    const [i, j] = diff;
    if (diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i]) return 1;
  }
  return editDistance(a, b);
}

function blank(s: string): string {
  return " ".repeat(s.length);
}

function blankMatch(text: string, index: number, length: number): string {
  return text.slice(0, index) + " ".repeat(length) + text.slice(index + length);
}

