// "what about yesterday?", "and for gpt-4o-mini?", "split that by region", "same for latency",
// "now 7d": text that changes the previous question rather than asking a new one. This reads which
// parts such a text names (window, comparison, filters, split, signal) with the parser's own tables
// and rules, and merges them into the previous question; the rest of that question is kept.
import type { Dimension } from "../queries/catalog.ts";
import { NotUnderstoodError, UserError } from "../queries/errors.ts";
import type { Filters, Question, WindowSpec } from "../queries/question.ts";
import { extractBaseline } from "./baseline-phrases.ts";
import { normalize, parse, type ParseContext } from "./parse.ts";
import { extractWindow } from "./time-phrases.ts";

/** How a follow-up's filters combine with the previous ones: "and for X" replaces, "vs X" compares X too. */
export type MergeMode = "replace" | "add";

/** Phrasings that mark a text as a follow-up, tried at its start; the rest of the text says what changes. */
export const FOLLOW_UP_LEADS: readonly { readonly pattern: RegExp; readonly mode: MergeMode; readonly example: string }[] = [
  { pattern: /^(?:and\s+|ok\s+|okay\s+)?(?:what|how)\s+about(?:\s+for)?\b/, mode: "replace", example: "what about yesterday?" },
  { pattern: /^(?:and\s+)?(?:the\s+)?same\s+(?:thing\s+|question\s+)?(?:(?:but\s+)?(?:for|with|over|in|on)\b|but\b|(?=(?:by|per)\s))/, mode: "replace", example: "same for latency" },
  { pattern: /^(?:split|break|broken|group|grouped)\s+(?:that|it|this|them)(?:\s+down)?(?=\s+(?:by|per)\b)/, mode: "replace", example: "split that by region" },
  { pattern: /^(?:and\s+)?(?:now|then|instead)\b/, mode: "replace", example: "now 7d" },
  { pattern: /^(?:only|just)(?:\s+for)?\b/, mode: "replace", example: "only gpt-4o" },
  { pattern: /^and(?:\s+(?:for|in|on|over|with))?\b/, mode: "replace", example: "and for gpt-4o-mini?" },
  // "vs yesterday" is a comparison of the window (baseline-phrases.ts), read before these leads
  { pattern: /^(?:vs\.?|versus|compared\s+(?:to|with)|compare\s+(?:to|with)|against)(?=\s)/, mode: "add", example: "vs gpt-4o-mini" },
  { pattern: /^(?:also|plus)(?:\s+for)?\b/, mode: "add", example: "also gpt-4o-ptu" },
];

/** Words that undo a part of the previous question ("overall" drops its split). */
const DROPS: readonly { readonly pattern: RegExp; readonly drops: "split" | "deployments" }[] = [
  { pattern: /\b(?:overall|in total|all together|altogether|without (?:the |a )?split|no split|unsplit|not split)\b/, drops: "split" },
  { pattern: /\b(?:(?:across |for )?all deployments|every deployment|any deployment)\b/, drops: "deployments" },
];

/** Said after a follow-up's parts and carrying no meaning of their own ("…instead?", "…too"). */
const TRAILERS = /\b(?:instead|too|as well|then|please|pls|that|it|this|one)\b/g;

/** The parts of a question that say where and when it looks; the rest (topic, asks, notes, an estimate, percentiles…) is its signal. */
const WHERE_AND_WHEN = ["window", "filters", "splitBy", "top", "order", "baseline"] as const satisfies readonly (keyof Question)[];
/** A question's signal: everything but where and when, so a field added to Question later moves with the signal. */
export type Signal = Omit<Question, (typeof WHERE_AND_WHEN)[number]>;

/** What a follow-up names; anything absent is kept from the previous question. */
export interface FollowUpParts {
  readonly window?: WindowSpec;
  readonly baseline?: Question["baseline"];
  readonly filters: Filters;
  readonly splitBy?: Dimension;
  readonly top?: number;
  readonly order?: Question["order"];
  /** A signal named ("same for latency"): the previous question's signal is replaced by it. */
  readonly metric?: Signal;
  readonly drops: readonly ("split" | "deployments")[];
}

export type FollowUpReading =
  /** A question in its own right: asked as it is. */
  | { readonly kind: "full" }
  | {
      readonly kind: "follow-up";
      /** Led by a follow-up phrasing; unmarked ones ("7d", "gpt-4o-mini") are follow-ups only when there is something to follow. */
      readonly marked: boolean;
      readonly mode: MergeMode;
      readonly parts: FollowUpParts;
      /** The text after the lead ("yesterday"), for examples. */
      readonly body: string;
    }
  /** Led by a follow-up phrasing, but what it changes could not be read (the error says why). */
  | { readonly kind: "unreadable"; readonly error: UserError; readonly body: string };

/** What the text is read against: the parser's own context (deployment names and what Azure reports about them). */
export type FollowUpContext = ParseContext;

/** Reads `text` as a follow-up if it is one; its parts are read as the parser would read them in a question. */
export function readFollowUp(text: string, ctx: FollowUpContext): FollowUpReading {
  const lower = normalize(text);
  if (lower.length === 0 || lower.length > 500) return { kind: "full" };
  // "vs yesterday" / "same time last week" first: the leads below must not eat its "vs"
  const shifted = extractBaseline(lower);
  const unshifted = shifted?.rest.trim() ?? lower;
  const lead = FOLLOW_UP_LEADS.find((l) => l.pattern.test(unshifted));
  const afterLead = lead ? unshifted.replace(lead.pattern, "") : unshifted;
  let body = afterLead;
  const drops: ("split" | "deployments")[] = [];
  for (const d of DROPS) {
    if (!d.pattern.test(body)) continue;
    drops.push(d.drops);
    body = body.replace(d.pattern, " ");
  }
  // the window first: "this week" is a window, while a bare "this" is a trailer
  const time = extractWindow(body);
  const rest = (time?.rest ?? body).replace(TRAILERS, " ").replace(/\s+/g, " ").trim();

  const parts = readParts(rest, ctx);
  const marked = lead !== undefined || (shifted !== undefined && unshifted.length === 0);
  if ("error" in parts) {
    return marked ? { kind: "unreadable", error: parts.error, body: afterLead.trim() } : { kind: "full" };
  }
  const named: FollowUpParts = {
    ...parts.named,
    ...(time ? { window: time.window } : {}),
    ...(shifted ? { baseline: shifted.baseline } : {}),
    drops,
  };
  const empty = !hasParts(named);
  if (!marked) {
    // a signal makes it a full question; so does anything the parts do not explain
    if (named.metric || empty || !parts.clean) return { kind: "full" };
    return { kind: "follow-up", marked, mode: "replace", parts: named, body: afterLead.trim() };
  }
  if (empty || !parts.clean) {
    return { kind: "unreadable", error: new UnclearFollowUpError(text), body: afterLead.trim() };
  }
  return { kind: "follow-up", marked, mode: lead?.mode ?? "replace", parts: named, body: afterLead.trim() };
}

/** The previous question with the follow-up's parts in place of its own. */
export function mergeFollowUp(previous: Question, reading: { readonly parts: FollowUpParts; readonly mode: MergeMode }): Question {
  const { parts, mode } = reading;
  // a verdict question asks over every deployment and keeps the named ones as its focus (verdict-question.ts)
  const focus = previous.filters.ModelDeploymentName === undefined ? previous.verdict?.focus : undefined;
  const filters: { -readonly [D in Dimension]?: readonly string[] } = { ...previous.filters, ...(focus && focus.length > 0 ? { ModelDeploymentName: focus } : {}) };
  if (parts.drops.includes("deployments")) delete filters.ModelDeploymentName;
  for (const [dim, values] of Object.entries(parts.filters) as [Dimension, readonly string[]][]) {
    filters[dim] = mode === "add" ? [...new Set([...(filters[dim] ?? []), ...values])] : values;
  }
  const { splitBy: oldSplit, top: oldTop, order: oldOrder, baseline: oldBaseline } = previous;
  const splitBy = parts.splitBy ?? (parts.drops.includes("split") ? undefined : oldSplit);
  const top = parts.top ?? (splitBy === undefined ? undefined : oldTop);
  const order = parts.order ?? oldOrder;
  // a new window brings its own comparison (its default, or the one it names)
  const baseline = parts.window !== undefined || parts.baseline !== undefined ? parts.baseline : oldBaseline;
  // a new signal replaces the old one whole ("same for latency" after "spend" is no estimate)
  let kept: Signal = parts.metric ?? signalOf(previous);
  if (kept.verdict) {
    // split by deployment, the named deployments are the focus; split by anything else they stay a filter
    const byDeployment = splitBy === undefined || splitBy === "ModelDeploymentName";
    kept = { ...kept, verdict: { focus: byDeployment ? (filters.ModelDeploymentName ?? []) : [] } };
    if (byDeployment) delete filters.ModelDeploymentName;
  }
  return {
    ...kept,
    window: parts.window ?? previous.window,
    filters,
    ...(splitBy === undefined ? {} : { splitBy }),
    ...(top === undefined ? {} : { top }),
    ...(order === undefined ? {} : { order }),
    ...(baseline === undefined ? {} : { baseline }),
  };
}

/** A follow-up phrasing whose change could not be read ("what about it?"). */
export class UnclearFollowUpError extends UserError {
  readonly code = "unclear_follow_up";

  constructor(text: string) {
    super(`I couldn't tell what "${text.trim().slice(0, 80)}" changes in the last question.`, {
      hint: `Name what to change: a window, a deployment, a split or a signal, e.g. ${FOLLOW_UP_LEADS.slice(0, 4).map((l) => `"${l.example}"`).join(", ")}.`,
    });
  }
}

/** A follow-up with nothing to follow: no question earlier in this conversation, or one too old. */
export class NoContextError extends UserError {
  readonly code = "no_context";

  constructor(text: string, example: string, ttlMinutes: number) {
    super(`There is no earlier question here for "${text.trim().slice(0, 80)}" to change.`, {
      hint: `Ask a full question first, e.g. "${example}"; for ${ttlMinutes} minutes after it, follow-ups such as "what about yesterday?", "and for gpt-4o-mini?" or "split that by region" change that question.`,
      examples: [example],
    });
  }
}

interface ReadParts {
  readonly named: Omit<FollowUpParts, "window" | "baseline" | "drops">;
  /** Every word is explained by a part (or a signal was named). */
  readonly clean: boolean;
}

/**
 * Filters, split and signal, read by the parser itself. It is asked the text behind each of two probe
 * signals that step aside for any other ("requests", "health"): a probe that reads differently than
 * alone means the text names a signal. That signal, and whether every word is explained, come from
 * reading the text with a window and no probe.
 */
function readParts(rest: string, ctx: FollowUpContext): ReadParts | { readonly error: UserError } {
  const requests = tryParse(`requests ${rest}`, ctx);
  if ("error" in requests) return requests;
  const health = tryParse(`health ${rest}`, ctx);
  const q = requests.question;
  const asksOf = (r: ReturnType<typeof tryParse>) => ("error" in r ? "" : JSON.stringify(r.question.asks));
  const named = asksOf(requests) !== asksOf(tryParse("requests", ctx)) || asksOf(health) !== asksOf(tryParse("health", ctx));
  const alone = tryParse(`${rest} last 60 minutes`, ctx);
  const clean = rest.trim() === "" || !("error" in alone);
  const signal = !named ? undefined : !("error" in alone) ? alone.question : !("error" in health) ? health.question : q;
  return {
    named: {
      filters: q.filters,
      ...(q.splitBy === undefined ? {} : { splitBy: q.splitBy }),
      ...(q.top === undefined ? {} : { top: q.top }),
      ...(q.order === undefined ? {} : { order: q.order }),
      ...(signal ? { metric: signalOf(signal) } : {}),
    },
    clean: clean || named,
  };
}

function tryParse(text: string, ctx: FollowUpContext): { readonly question: Question } | { readonly error: UserError } {
  try {
    const parsed = parse(text, ctx);
    if (parsed.kind === "question") return { question: parsed.question };
    return { error: new NotUnderstoodError(`I couldn't read "${text}".`) };
  } catch (err) {
    if (err instanceof UserError) return { error: err };
    throw err;
  }
}

function signalOf(q: Question): Signal {
  const where: readonly string[] = WHERE_AND_WHEN;
  return Object.fromEntries(Object.entries(q).filter(([k]) => !where.includes(k))) as Signal;
}

function hasParts(p: FollowUpParts): boolean {
  return p.window !== undefined || p.baseline !== undefined || Object.keys(p.filters).length > 0 || p.splitBy !== undefined || p.top !== undefined || p.metric !== undefined || p.drops.length > 0;
}
