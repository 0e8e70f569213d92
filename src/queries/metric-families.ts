// The metric families a Microsoft.CognitiveServices account can report: the Azure OpenAI family
// (AzureOpenAIRequests …), and the cross-provider "Models" family (ModelRequests …) that AIServices
// (Foundry) resources report next to it or instead of it. Questions are planned in the Azure OpenAI
// names (the catalog's vocabulary); a resource whose metric definitions list only the Models names
// is asked in those (family-plan.ts), and its answers are read back in the Azure OpenAI names.
import type { Response as MetricsResponse } from "@azure/arm-monitor";

export type MetricFamilyId = "azure-openai" | "models";

export interface MetricFamily {
  readonly id: MetricFamilyId;
  /** As Azure's metric categories name it ("Azure OpenAI - HTTP Requests", "Models - Requests"). */
  readonly displayName: string;
  /** The kind of resource that reports only this family, as the answer's note says it. */
  readonly resourceKind: string;
}

export const METRIC_FAMILIES: Readonly<Record<MetricFamilyId, MetricFamily>> = {
  "azure-openai": { id: "azure-openai", displayName: "Azure OpenAI", resourceKind: "Azure OpenAI resource" },
  models: { id: "models", displayName: "Models", resourceKind: "Foundry resource" },
};

/** The family the catalog's names, plans and figures are in. */
export const CANONICAL_FAMILY: MetricFamilyId = "azure-openai";

/** Each Azure OpenAI metric and the Models metric that measures the same thing. */
export const EQUIVALENT_METRICS: readonly { readonly azureOpenAI: string; readonly models: string }[] = [
  { azureOpenAI: "AzureOpenAIRequests", models: "ModelRequests" },
  { azureOpenAI: "AzureOpenAIAvailabilityRate", models: "ModelAvailabilityRate" },
  { azureOpenAI: "AzureOpenAITimeToResponse", models: "TimeToResponse" },
  { azureOpenAI: "AzureOpenAINormalizedTTFTInMS", models: "NormalizedTimeToFirstToken" },
  { azureOpenAI: "AzureOpenAINormalizedTBTInMS", models: "NormalizedTimeBetweenTokens" },
  { azureOpenAI: "AzureOpenAITTLTInMS", models: "TimeToLastByte" },
  { azureOpenAI: "AzureOpenAITokenPerSecond", models: "TokensPerSecond" },
  { azureOpenAI: "ProcessedPromptTokens", models: "InputTokens" },
  { azureOpenAI: "GeneratedTokens", models: "OutputTokens" },
  { azureOpenAI: "TokenTransaction", models: "TotalTokens" },
  { azureOpenAI: "AzureOpenAIProvisionedManagedUtilizationV2", models: "ProvisionedUtilization" },
];

const NAMES: Readonly<Record<MetricFamilyId, ReadonlyMap<string, string>>> = {
  "azure-openai": new Map(EQUIVALENT_METRICS.flatMap((e) => [[e.azureOpenAI.toLowerCase(), e.azureOpenAI], [e.models.toLowerCase(), e.azureOpenAI]] as const)),
  models: new Map(EQUIVALENT_METRICS.flatMap((e) => [[e.azureOpenAI.toLowerCase(), e.models], [e.models.toLowerCase(), e.models]] as const)),
};

/** `name` as `family` spells it: its equivalent there, or itself when it has none (RAIRejectedRequests …). */
export function metricNameIn(family: MetricFamilyId, name: string): string {
  return NAMES[family].get(name.toLowerCase()) ?? name;
}

/** A metric definition as Metric Definitions - List gives it (only its name is read here). */
export interface ListedMetric {
  readonly name?: { readonly value?: string };
}

/** The families whose metrics the definitions list (any one of a family's names counts), in table order. */
export function listedFamilies(definitions: readonly ListedMetric[]): MetricFamilyId[] {
  const listed = new Set(definitions.map((d) => (d.name?.value ?? "").toLowerCase()));
  const has = (pick: (e: (typeof EQUIVALENT_METRICS)[number]) => string) => EQUIVALENT_METRICS.some((e) => listed.has(pick(e).toLowerCase()));
  return (Object.keys(METRIC_FAMILIES) as MetricFamilyId[]).filter((id) => has(id === "models" ? (e) => e.models : (e) => e.azureOpenAI));
}

/**
 * Which family answers for a resource: Azure OpenAI when its names are listed (also when the Models
 * ones are too), Models when only those are. A resource listing neither is asked in the Azure OpenAI
 * names, so Azure's own error says what it does report.
 */
export function familyOf(definitions: readonly ListedMetric[]): MetricFamilyId {
  const listed = listedFamilies(definitions);
  return listed.includes("azure-openai") || listed.length === 0 ? "azure-openai" : "models";
}

/** A comma-separated `metricnames` parameter as `family` spells it. */
export function metricNamesIn(family: MetricFamilyId, metricnames: string): string {
  return metricnames
    .split(",")
    .map((n) => metricNameIn(family, n))
    .join(",");
}

/**
 * A Metrics - List response to a request sent as `sent` (comma-separated names), with each entry
 * named as `planned` named it: figures look their metrics up in the names they were planned in.
 */
export function readBack(res: MetricsResponse, sent: string, planned: string): MetricsResponse {
  if (sent === planned) return res;
  const asPlanned = new Map<string, string>();
  const plannedNames = planned.split(",");
  sent.split(",").forEach((n, i) => asPlanned.set(n.toLowerCase(), plannedNames[i] ?? n));
  return { ...res, value: res.value.map((m) => ({ ...m, name: { ...m.name, value: asPlanned.get(m.name.value.toLowerCase()) ?? m.name.value } })) };
}
