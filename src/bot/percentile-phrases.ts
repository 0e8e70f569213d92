// "p99", "95th percentile", "median", "percentiles": which percentiles a question asks for. They come
// from the resource logs, not metrics; the rest of the question (signal, deployment, window) is
// read as usual and the question becomes the request logs' percentile template (src/bot/table-parse.ts).
import { PercentileNotAvailableError } from "../queries/errors.ts";

/** Asked as a family ("percentiles", "quantiles"): the usual three. */
const USUAL = [50, 95, 99];

const RULES: readonly { readonly pattern: RegExp; readonly values: (m: RegExpMatchArray) => readonly number[] }[] = [
  { pattern: /\bp(\d{1,2}(?:\.\d{1,3})?)\b/gi, values: (m) => [Number(m[1])] },
  { pattern: /\b(\d{1,2}(?:\.\d{1,3})?)(?:st|nd|rd|th)?\s*(?:percentile|pct)\b/gi, values: (m) => [Number(m[1])] },
  { pattern: /\bpercentile\s+(\d{1,2}(?:\.\d{1,3})?)\b/gi, values: (m) => [Number(m[1])] },
  { pattern: /\bmedian\b/gi, values: () => [50] },
  { pattern: /\b(?:percentiles|quantiles|percentile|quantile)\b/gi, values: () => USUAL },
];

export interface PercentileMatch {
  /** Ascending, each once, between 0 and 100 (exclusive). */
  readonly values: readonly number[];
  /** The text with the percentile words blanked, same length. */
  readonly rest: string;
}

/** What every rule needs somewhere in the text: most questions name no percentile, and skip the rules. */
const ANY_RULE = /p\d|percentile|pct|median|quantile/i;

export function takePercentiles(text: string): PercentileMatch | undefined {
  if (!ANY_RULE.test(text)) return undefined;
  let rest = text;
  const found: number[] = [];
  for (const rule of RULES) {
    for (const m of [...rest.matchAll(rule.pattern)]) {
      found.push(...rule.values(m).filter((v) => v > 0 && v < 100));
      rest = rest.slice(0, m.index) + " ".repeat(m[0].length) + rest.slice(m.index + m[0].length);
    }
  }
  if (found.length === 0) return undefined;
  return { values: [...new Set(found)].sort((a, b) => a - b), rest };
}

/** Signals the request logs' DurationMs measures: percentiles of anything else can't be had. */
const DURATION_INTENTS: ReadonlySet<string> = new Set(["latency", "ttlt", "latency-peak"]);

/**
 * The intent a percentile question is read as: latency when no signal was named ("p95 for
 * gpt-4o"), refused for a signal the logs don't record per call (tokens, TTFT).
 */
export function percentileIntent<I extends { readonly id: string; readonly topic: string }>(intents: readonly I[], all: readonly I[]): I {
  const other = intents.find((i) => !DURATION_INTENTS.has(i.id));
  if (other !== undefined) {
    throw new PercentileNotAvailableError(`Percentiles of ${other.topic.toLowerCase()} aren't available: Azure Monitor metrics keep only average, minimum, maximum and totals per minute, and the request logs record each call's duration only.`, {
      hint: `Ask "p95 latency" for the log query, or "max ${other.topic.toLowerCase()}" for the largest per-minute value.`,
    });
  }
  const latency = all.find((i) => i.id === "latency");
  if (latency === undefined) throw new Error("the intent table has no latency row");
  return latency;
}
