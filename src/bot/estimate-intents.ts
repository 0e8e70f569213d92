// "cost", "spend": an estimate priced from tokens. The token intents it names along the way ("token
// cost", "cost of prompt tokens") are what is priced and step aside; any other signal with it is
// two questions, refused rather than one of them dropped.
import { NotUnderstoodError } from "../queries/errors.ts";
import { SPEND_ESTIMATE } from "../queries/catalog.ts";
import type { Intent } from "./intents.ts";

const PRICED_METRICS: ReadonlySet<string> = new Set([SPEND_ESTIMATE.inputMetric, SPEND_ESTIMATE.outputMetric, "TokenTransaction"]);

export function estimateIntents(intents: readonly Intent[]): Intent[] {
  const estimate = intents.find((i) => i.estimate !== undefined);
  if (estimate === undefined) return [...intents];
  const others = intents.filter((i) => i !== estimate && !i.asks.every((a) => PRICED_METRICS.has(a.metric)));
  if (others.length > 0) {
    const topics = others.map((i) => i.topic.toLowerCase());
    throw new NotUnderstoodError(`I estimate cost as a question of its own, and ${topics.join(" and ")} as another.`, {
      hint: "Ask them one at a time.",
      examples: ["cost by deployment this week", ...topics.map((t) => `${t} last hour`)].slice(0, 3),
    });
  }
  return [estimate];
}
