// When a metric answer's figure moved sharply against its baseline, the activity log may say why
// ("gpt-4o was updated at 14:02 by alice@…"). What counts as sharp is one small table over the
// verdict's thresholds (`verdict:` in the configuration), so a mention and a verdict agree on it.
import type { MetricUnit } from "../queries/catalog.ts";
import type { ActivityEvent } from "../queries/arm-readers.ts";
import type { FigureId } from "../queries/question.ts";
import { operationSentence } from "../queries/activity-operations.ts";
import { resourceName } from "../queries/resources.ts";
import { change, type QueryAnswer } from "../queries/result.ts";
import { localTime } from "./message.ts";
import type { VerdictThresholds } from "./verdict.ts";

interface SharpRule {
  readonly applies: (f: { readonly unit: MetricUnit; readonly figure?: FigureId }) => boolean;
  /** "percent": relative change vs the baseline; "points": the rate's move in percentage points. */
  readonly measure: "percent" | "points";
  readonly threshold: (t: VerdictThresholds) => number;
  /** Counts are judged only with at least `minCalls` on one side (a few calls make noisy changes). */
  readonly needsMinCalls: boolean;
}

/** The first rule that applies to a figure decides; figures no rule applies to are never sharp. */
export const SHARP_RULES: readonly SharpRule[] = [
  { applies: (f) => f.figure === "throttle-rate", measure: "points", threshold: (t) => t.throttleRate, needsMinCalls: false },
  { applies: (f) => f.figure === "error-rate", measure: "points", threshold: (t) => t.errorRate, needsMinCalls: false },
  { applies: (f) => f.figure === "success-rate", measure: "points", threshold: (t) => 100 - t.successRate, needsMinCalls: false },
  { applies: (f) => f.unit === "MilliSeconds", measure: "percent", threshold: (t) => t.latencyChange, needsMinCalls: false },
  { applies: (f) => f.unit === "Count", measure: "percent", threshold: (t) => t.latencyChange, needsMinCalls: true },
];

export function isSharp(f: { readonly unit: MetricUnit; readonly figure?: FigureId }, value: number | null, previous: number | null, t: VerdictThresholds): boolean {
  const rule = SHARP_RULES.find((r) => r.applies(f));
  if (rule === undefined || value === null || previous === null) return false;
  if (rule.measure === "points") return Math.abs(value - previous) >= rule.threshold(t);
  if (rule.needsMinCalls && Math.max(value, previous) < t.minCalls) return false;
  // from nothing to enough calls is as sharp as it gets; latency from 0 ms is no baseline at all
  if (previous === 0) return rule.needsMinCalls && value > 0;
  const c = change(value, previous);
  return c !== null && Math.abs(c * 100) >= rule.threshold(t);
}

/** The resources whose figures (or split rows) in the answer changed sharply, each once. */
export function sharplyChanged(answer: QueryAnswer, t: VerdictThresholds): string[] {
  const ids = answer.results.filter((r) => r.error === undefined && (isSharp(r, r.value, r.previous, t) || r.series.some((s) => isSharp(r, s.value, s.previous, t)))).map((r) => r.resource.id);
  return [...new Set(ids)];
}

/**
 * One line naming the change in the window, worded as the activity answers word it ("gpt-4o was
 * updated (capacity 100 → 150) at ⟦…⟧ by alice@contoso.com and 2 more changes"), the time as ⟦ISO⟧
 * so each platform shows the reader's own zone. Undefined when nothing changed.
 */
export function activityLine(events: readonly ActivityEvent[]): string | undefined {
  // the readers merge an operation's Started/Accepted/Succeeded records into one change; a change seen twice is one
  const changes = new Map<string, ActivityEvent>();
  for (const e of [...events].sort((a, b) => a.time.localeCompare(b.time))) changes.set(e.correlationId ?? `${e.time} ${e.operation} ${e.resourceId}`, e);
  const all = [...changes.values()];
  const first = all[0];
  if (first === undefined) return undefined;
  const what = operationSentence(first.operation, first.label, { deployment: first.deployment, resource: resourceName(ACCOUNT.exec(first.resourceId)?.[1] ?? first.resourceId) });
  const failed = first.status.toLowerCase() === "failed" ? " (it failed)" : "";
  const more = all.length - 1;
  return `Changed in this window: ${what}${first.detail === undefined ? "" : ` (${first.detail})`} at ${localTime(first.time)} by ${first.caller}${failed}${more > 0 ? ` and ${String(more)} more change${more > 1 ? "s" : ""} (ask "what changed?")` : ""}.`;
}

/** The account an event is on or under (its deployment, a setting of it). */
const ACCOUNT = /^(.*?\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+)/i;
