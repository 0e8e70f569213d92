// Topics the bot can't answer yet, as a table: the words that ask about them, what reading them
// would need, and the closest questions it CAN answer. A question that names one is refused with
// those alternatives, never answered as another metric. (Resource logs, percentiles included, the
// activity log and quota are answered with a table, table-topics.ts; spend is estimated from tokens, spend-plan.ts.)
import { UserError } from "../queries/errors.ts";
import { escapeRe, namePattern, namesIn } from "./name-patterns.ts";

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
  readonly id: "alerts";
  /** Lower-case words and phrases, matched on word boundaries. */
  readonly words: readonly string[];
  /** Where a bare word would be wrong. */
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
    id: "alerts",
    words: ["alert", "alerts", "alerting", "alert rule", "alert rules", "alarm", "alarms", "firing", "fired", "action group", "action groups"],
    cantYet: "I can't read Azure Monitor alerts or alert rules yet (that needs the Alerts Management API).",
    hint: "To be told in a channel when a figure crosses a threshold, a schedule can post a condition report (see `help`).",
    instead: (d) => (d ? [`how is ${d} doing?`, `errors for ${d} last hour`, `429s for ${d} last hour`] : ["is anything failing?", "errors by deployment last hour", "429s by deployment last hour"]),
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
  const unnamed = namesIn(text, deployments).reduce((t, d) => t.replace(namePattern(d), (m) => " ".repeat(m.length)), text);
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

