// Figures only provisioned (PTU) deployments have, asked of a pay-as-you-go one, are refused with
// the reason and the deployments that do have them, instead of answered as "no data". Which
// deployments are provisioned is what the resource reports (deployment-facts.ts).
import { PROVISIONED_METRIC } from "./deployment-facts.ts";
import { NotProvisionedError } from "./errors.ts";
import type { Question } from "./question.ts";
import type { Resource } from "./resources.ts";

/** Metrics Azure reports for provisioned deployments only. */
const PROVISIONED_ONLY: ReadonlySet<string> = new Set([PROVISIONED_METRIC, "AzureOpenAIProvisionedManagedUtilization", "ActiveTokens", "AzureOpenAIContextTokensCacheMatchRate"]);

export function assertProvisioned(question: Question, resources: readonly Resource[]): void {
  const named = question.filters.ModelDeploymentName ?? [];
  if (named.length === 0 || question.asks.length === 0 || !question.asks.every((a) => PROVISIONED_ONLY.has(a.metric))) return;
  const facts = resources.flatMap((r) => r.facts ?? []);
  if (facts.length === 0) return;
  const provisioned = [...new Set(facts.filter((f) => f.provisioned).map((f) => f.name))].sort();
  const payg = named.filter((n) => facts.some((f) => f.name.toLowerCase() === n.toLowerCase()) && !provisioned.some((p) => p.toLowerCase() === n.toLowerCase()));
  if (payg.length === 0) return;
  const figure = (question.asks[0]?.label ?? "PTU utilisation").replace(/\s*\(peak\)$/, "");
  const which = payg.join(" and ");
  throw new NotProvisionedError(`${which} ${payg.length > 1 ? "are not provisioned (PTU) deployments, so they have" : "is not a provisioned (PTU) deployment, so it has"} no ${figure}; ${provisioned.length > 0 ? `provisioned: ${provisioned.join(", ")}` : "none of the deployments is provisioned"}.`, {
    hint: provisioned.length > 0 ? `Ask "${figure.toLowerCase()} ${provisioned[0] ?? ""}", or about ${which}'s requests, 429s or tokens.` : `Ask about ${which}'s requests, 429s or tokens.`,
  });
}
