// Metric Definitions - List for the demo account: every catalog metric, described the way
// Azure describes platform metrics (category, class, grains with 93-day retention, dimensions).
import { METRIC_NAMESPACE, METRICS, type MetricInfo } from "../queries/catalog.ts";
import { SUPPORTED_GRAINS } from "./metrics-query.ts";

export interface WireMetricDefinition {
  id: string;
  resourceId: string;
  namespace: string;
  name: { value: string; localizedValue: string };
  displayDescription: string;
  category: string;
  metricClass: string;
  unit: string;
  primaryAggregationType: string;
  supportedAggregationTypes: string[];
  metricAvailabilities: { timeGrain: string; retention: string }[];
  dimensions: { value: string; localizedValue: string }[];
  isDimensionRequired: boolean;
}

interface Classification {
  readonly category: string;
  readonly metricClass: string;
}

const CLASSIFICATION: Readonly<Record<string, Classification>> = {
  AzureOpenAIRequests: { category: "Azure OpenAI - HTTP Requests", metricClass: "Transactions" },
  AzureOpenAIAvailabilityRate: { category: "Azure OpenAI - HTTP Requests", metricClass: "Availability" },
  AzureOpenAITimeToResponse: { category: "Azure OpenAI - Latency", metricClass: "Latency" },
  AzureOpenAINormalizedTTFTInMS: { category: "Azure OpenAI - Latency", metricClass: "Latency" },
  AzureOpenAINormalizedTBTInMS: { category: "Azure OpenAI - Latency", metricClass: "Latency" },
  AzureOpenAITTLTInMS: { category: "Azure OpenAI - Latency", metricClass: "Latency" },
  AzureOpenAITokenPerSecond: { category: "Azure OpenAI - Latency", metricClass: "Latency" },
  AzureOpenAIProvisionedManagedUtilizationV2: { category: "Azure OpenAI - Usage", metricClass: "Saturation" },
  AzureOpenAIProvisionedManagedUtilization: { category: "Azure OpenAI - Usage", metricClass: "Saturation" },
  RAIRejectedRequests: { category: "ContentSafety - Risks&Safety", metricClass: "Transactions" },
  RAIHarmfulRequests: { category: "ContentSafety - Risks&Safety", metricClass: "Transactions" },
  BlockedCalls: { category: "Cognitive Services - HTTP Requests", metricClass: "Errors" },
  ClientErrors: { category: "Cognitive Services - HTTP Requests", metricClass: "Errors" },
  ServerErrors: { category: "Cognitive Services - HTTP Requests", metricClass: "Errors" },
  TotalErrors: { category: "Cognitive Services - HTTP Requests", metricClass: "Errors" },
  Latency: { category: "Cognitive Services - HTTP Requests", metricClass: "Latency" },
};

function classify(m: MetricInfo): Classification {
  const known = CLASSIFICATION[m.name];
  if (known !== undefined) return known;
  if (m.legacy && m.legacy.replacement !== "AzureOpenAIProvisionedManagedUtilizationV2") {
    return { category: "Cognitive Services - HTTP Requests", metricClass: "Transactions" };
  }
  return { category: "Azure OpenAI - Usage", metricClass: "Transactions" };
}

export function metricDefinitions(resourceId: string): { value: WireMetricDefinition[] } {
  return {
    value: METRICS.map((m) => {
      const { category, metricClass } = classify(m);
      return {
        id: `${resourceId}/providers/microsoft.insights/metricdefinitions/${m.name}`,
        resourceId,
        namespace: METRIC_NAMESPACE,
        name: { value: m.name, localizedValue: m.displayName },
        displayDescription: m.description,
        category,
        metricClass,
        unit: m.unit,
        primaryAggregationType: m.defaultAggregation,
        supportedAggregationTypes: [...m.aggregations],
        metricAvailabilities: SUPPORTED_GRAINS.map((timeGrain) => ({ timeGrain, retention: "P93D" })),
        dimensions: m.dimensions.map((d) => ({ value: d, localizedValue: d })),
        isDimensionRequired: false,
      };
    }),
  };
}

export interface WireMetricNamespace {
  id: string;
  name: string;
  type: "Microsoft.Insights/metricNamespaces";
  classification: "Platform";
  properties: { metricNamespaceName: string };
}

export function metricNamespaces(resourceId: string): { value: WireMetricNamespace[] } {
  return {
    value: [
      {
        id: `${resourceId}/providers/microsoft.insights/metricNamespaces/${METRIC_NAMESPACE}`,
        name: METRIC_NAMESPACE,
        type: "Microsoft.Insights/metricNamespaces",
        classification: "Platform",
        properties: { metricNamespaceName: METRIC_NAMESPACE },
      },
    ],
  };
}
