// Conditions such as "429s > 100 over 1h for deployment gpt-4o" or "success rate < 99% over 24h":
// the left side is an ordinary question, so every signal the bot understands can be a condition.
import { formatValue, source } from "../../bot/format.ts";
import { localTime, message, type Message } from "../../bot/message.ts";
import { parse } from "../../bot/parse.ts";
import { NotUnderstoodError } from "../../queries/errors.ts";
import type { MetricAsk, Question } from "../../queries/question.ts";
import type { MetricResult } from "../../queries/result.ts";
import type { Resource } from "../../queries/resources.ts";
import type { QueryService } from "../../queries/service.ts";

export type Operator = ">" | ">=" | "<" | "<=";

export interface Condition {
  readonly text: string;
  readonly question: Question;
  readonly ask: MetricAsk;
  readonly op: Operator;
  readonly threshold: number;
}

const SHAPE = /^(.*?)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(%|ms|s)?\s+over\s+(\d+\s*(?:m|min|minutes?|h|hours?|d|days?))\b(.*)$/i;

export function parseCondition(text: string, deployments: readonly string[]): Condition {
  const m = SHAPE.exec(text.trim());
  if (!m) {
    throw new NotUnderstoodError(`"${text}" is not a condition I can check.`, { hint: 'Write it as "<signal> <op> <number> over <window> [for <deployment>]", e.g. "429s > 100 over 1h for gpt-4o" or "success rate < 99% over 24h".' });
  }
  const [, signal = "", op = ">", number = "0", unit, window = "1h", rest = ""] = m;
  const parsed = parse(`${signal} ${rest} last ${window.replace(/\s+/g, "")}`, { deployments });
  if (parsed.kind !== "question") throw new NotUnderstoodError(`"${signal}" does not name a signal to check.`, { hint: 'e.g. "429s", "average time to response", "success rate".' });
  // "AzureOpenAIRequests 429" asks for requests and 429s: the narrower (status) figure is the one meant
  const ask = parsed.question.asks.find((a) => a.status !== undefined) ?? parsed.question.asks[0];
  if (!ask) throw new NotUnderstoodError(`"${signal}" does not name a signal to check.`);
  const threshold = Number(number) * (unit?.toLowerCase() === "s" ? 1000 : 1);
  return { text, question: { ...parsed.question, asks: [ask], notes: [] }, ask, op: op as Operator, threshold };
}

export interface Evaluation {
  /** null: Azure had no data, so the condition can't be judged either way. */
  readonly holds: boolean | null;
  readonly value: number | null;
  readonly result: MetricResult | undefined;
  /** The schedule's zone, in which a reader without one of their own (text) sees the report's times. */
  readonly zone: string;
}

/** `resources`: what the report's channels may see (audience.ts); absent: everything configured. */
export async function evaluateCondition(c: Condition, service: QueryService, at: Date, zone: string, resources?: readonly Resource[]): Promise<Evaluation> {
  const answer = await service.answer(c.question, at, zone, resources);
  const result = answer.results.find((r) => r.error === undefined) ?? answer.results[0];
  const value = result?.value ?? null;
  if (value === null) return { holds: null, value, result, zone };
  const holds = c.op === ">" ? value > c.threshold : c.op === ">=" ? value >= c.threshold : c.op === "<" ? value < c.threshold : value <= c.threshold;
  return { holds, value, result, zone };
}

export function conditionReport(c: Condition, e: Evaluation, state: "firing" | "resolved" | "still", since: string, checks: number, at: Date): Message {
  const unit = e.result?.unit ?? "Count";
  const now = e.value === null ? "no data" : formatValue(e.value, unit);
  const lines =
    state === "resolved"
      ? [`Resolved at ${localTime(at.toISOString())}: now **${now}** (threshold ${c.op} ${formatValue(c.threshold, unit)}).`, `Held since ${localTime(since)} over ${checks} check${checks === 1 ? "" : "s"}.`]
      : [`Now **${now}** (threshold ${c.op} ${formatValue(c.threshold, unit)}).`, `Holding since ${localTime(since)}${checks > 1 ? `, ${checks} checks so far; last checked ${localTime(at.toISOString())}` : ""}.`];
  return message("report", state === "resolved" ? "resolved" : "firing", `${state === "resolved" ? "Resolved" : "Condition holding"}: ${c.text}`, {
    lines,
    footnotes: e.result ? [source(e.result)] : [],
    zone: e.zone,
  });
}
