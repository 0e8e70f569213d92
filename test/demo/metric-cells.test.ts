import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/queries/catalog.ts";
import { DEMO_DEPLOYMENTS, isProvisioned } from "../../src/demo/demo-resource.ts";
import { clearSamples, METRIC_MODELS, SAMPLE_WIDTH } from "../../src/demo/metric-cells.ts";
import { DemoTraffic } from "../../src/demo/traffic.ts";
import { NOW_MINUTE } from "./demo-client.ts";

// No fine-tuned models on the demo account: questions about them get "no data".
const NO_DATA_ON_DEMO = new Set(["FineTunedTrainingHours"]);

describe("metric cells", () => {
  it("model every catalog metric, and nothing else", () => {
    expect([...METRIC_MODELS.keys()].sort()).toEqual(METRICS.map((m) => m.name).sort());
  });

  it.each(METRICS.map((m) => [m.name, m] as const))("give every %s cell exactly the metric's dimensions", (_, metric) => {
    const cells = DEMO_DEPLOYMENTS.flatMap((d) => METRIC_MODELS.get(metric.name)?.cells(d) ?? []);
    // a metric the demo account has no data for has no cells at all, rather than cells that stay empty
    if (NO_DATA_ON_DEMO.has(metric.name)) expect(cells).toEqual([]);
    else expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      expect(Object.keys(cell).sort()).toEqual([...metric.dimensions].sort());
      for (const value of Object.values(cell)) expect(value).not.toBe("");
    }
  });

  it("name the deployment in every cell that has a ModelDeploymentName", () => {
    for (const metric of METRICS.filter((m) => m.dimensions.includes("ModelDeploymentName"))) {
      for (const d of DEMO_DEPLOYMENTS) for (const cell of METRIC_MODELS.get(metric.name)?.cells(d) ?? []) expect(cell.ModelDeploymentName).toBe(d.name);
    }
  });

  it("give provisioned-only metrics cells on gpt-4o-ptu alone", () => {
    for (const name of ["AzureOpenAIProvisionedManagedUtilizationV2", "ActiveTokens", "AzureOpenAIContextTokensCacheMatchRate"]) {
      const withCells = DEMO_DEPLOYMENTS.filter((d) => (METRIC_MODELS.get(name)?.cells(d).length ?? 0) > 0);
      expect(withCells.map((d) => d.name)).toEqual(["gpt-4o-ptu"]);
      expect(withCells.every(isProvisioned)).toBe(true);
    }
  });

  it("count requests as IsSpillover 'true' only on gpt-4o, the deployment gpt-4o-ptu spills over to", () => {
    const requests = METRIC_MODELS.get("AzureOpenAIRequests");
    const spilledCells = DEMO_DEPLOYMENTS.flatMap((d) => (requests?.cells(d) ?? []).filter((c) => c.IsSpillover === "true"));
    expect(new Set(spilledCells.map((c) => c.ModelDeploymentName))).toEqual(new Set(["gpt-4o"]));
  });

  it("write samples with count, sum, min and max consistent with each other, for every metric", () => {
    const traffic = new DemoTraffic({});
    for (const [name, model] of METRIC_MODELS) {
      for (const d of DEMO_DEPLOYMENTS) {
        const cells = model.cells(d).length;
        const out = new Float64Array(cells * SAMPLE_WIDTH);
        for (let i = 1; i <= 24; i++) {
          const m = traffic.at(d, NOW_MINUTE - i * 61 * 60_000);
          clearSamples(out);
          model.sample(m, out);
          for (let c = 0; c < cells; c++) {
            const [count = 0, sum = 0, min = 0, max = 0] = out.subarray(c * SAMPLE_WIDTH, (c + 1) * SAMPLE_WIDTH);
            if (count === 0) continue;
            expect(count, name).toBeGreaterThan(0);
            expect(min, name).toBeLessThanOrEqual(sum / count + 1e-9);
            expect(max, name).toBeGreaterThanOrEqual(sum / count - 1e-9);
          }
        }
      }
    }
  });
});
