import { describe, expect, it } from "vitest";
import { findMetric } from "../../src/queries/catalog.ts";
import { EQUIVALENT_METRICS, familyOf, listedFamilies, metricNameIn, metricNamesIn, readBack } from "../../src/queries/metric-families.ts";
import type { MetricsResponse } from "../../src/queries/azure-metrics.ts";

const listing = (...names: string[]) => names.map((value) => ({ name: { value } }));

describe("which metric family answers for a resource", () => {
  it("is Azure OpenAI when its names are listed, also beside the Models ones", () => {
    expect(familyOf(listing("AzureOpenAIRequests", "TokenTransaction", "RAIRejectedRequests"))).toBe("azure-openai");
    expect(familyOf(listing("ModelRequests", "AzureOpenAIRequests", "InputTokens"))).toBe("azure-openai");
    expect(listedFamilies(listing("ModelRequests", "AzureOpenAIRequests"))).toEqual(["azure-openai", "models"]);
  });

  it("is Models when only those are listed (a Foundry resource), whatever the case Azure spells them in", () => {
    expect(familyOf(listing("modelrequests", "TimeToResponse", "InputTokens", "RAIRejectedRequests"))).toBe("models");
    expect(listedFamilies(listing("ProvisionedUtilization"))).toEqual(["models"]);
  });

  it("stays Azure OpenAI when neither is listed, so Azure's own error says what the resource reports", () => {
    expect(familyOf([])).toBe("azure-openai");
    expect(familyOf(listing("TotalCalls", "Latency"))).toBe("azure-openai");
    expect(listedFamilies(listing("TotalCalls"))).toEqual([]);
  });
});

describe("equivalent metrics", () => {
  it("map each Azure OpenAI metric of the table to its Models metric and back", () => {
    expect(EQUIVALENT_METRICS).toHaveLength(11);
    for (const { azureOpenAI, models } of EQUIVALENT_METRICS) {
      expect(metricNameIn("models", azureOpenAI)).toBe(models);
      expect(metricNameIn("azure-openai", models)).toBe(azureOpenAI);
      expect(metricNameIn("models", models)).toBe(models);
    }
    expect(metricNameIn("models", "ProcessedPromptTokens")).toBe("InputTokens");
    expect(metricNameIn("models", "AzureOpenAIProvisionedManagedUtilizationV2")).toBe("ProvisionedUtilization");
  });

  it("leave a metric without an equivalent as it is", () => {
    expect(metricNameIn("models", "RAIRejectedRequests")).toBe("RAIRejectedRequests");
    expect(metricNamesIn("models", "AzureOpenAIRequests,RAIRejectedRequests,TokenTransaction")).toBe("ModelRequests,RAIRejectedRequests,TotalTokens");
  });

  it("are both in the catalog, measuring in the same unit with the same default aggregation", () => {
    for (const { azureOpenAI, models } of EQUIVALENT_METRICS) {
      const a = findMetric(azureOpenAI);
      const m = findMetric(models);
      expect(m?.name, models).toBe(models);
      expect([m?.unit, m?.defaultAggregation], models).toEqual([a?.unit, a?.defaultAggregation]);
      expect(m?.dimensions).toContain("ModelDeploymentName");
    }
    // documented: Models tokens can be split by model (Azure OpenAI tokens can't); utilisation has no StreamType
    expect(findMetric("InputTokens")?.dimensions).toContain("ModelName");
    expect(findMetric("ProvisionedUtilization")?.dimensions).not.toContain("StreamType");
  });

  it("read a response back in the names it was planned in", () => {
    const entry = (name: string) => ({ id: name, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "Count" as const, timeseries: [] });
    const res: MetricsResponse = { timespan: "x", value: [entry("ModelRequests"), entry("RAIRejectedRequests"), entry("TotalTokens")] };
    const back = readBack(res, "ModelRequests,RAIRejectedRequests,TotalTokens", "AzureOpenAIRequests,RAIRejectedRequests,TokenTransaction");
    expect(back.value.map((m) => m.name.value)).toEqual(["AzureOpenAIRequests", "RAIRejectedRequests", "TokenTransaction"]);
    expect(back.value[0]?.name.localizedValue).toBe("ModelRequests");
    expect(readBack(res, "a", "a")).toBe(res);
  });
});
