// The portal links of an answer as people read them: "Open in Azure portal" for one metric chart,
// each figure named when there are several (at most three), "Open in Log Analytics" for log answers,
// and the whole URL on a terminal.
import { describe, expect, it } from "vitest";
import { composeReply } from "../../src/bot/compose.ts";
import { composeTable } from "../../src/bot/compose-table.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { metricLinks, type PortalLink } from "../../src/queries/portal-links.ts";
import type { MetricResult, QueryAnswer } from "../../src/queries/result.ts";
import type { TableAnswer } from "../../src/queries/table-answer.ts";

const PROD = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod";
const result = (label: string, metric: string, filter?: string): MetricResult => ({
  label,
  metric,
  displayName: metric,
  aggregation: "Total",
  unit: "Count",
  resource: { id: PROD, name: "prod" },
  value: 120,
  previous: 100,
  points: [],
  series: [],
  hiddenSeries: 0,
  provenance: { resourceId: PROD, metric, aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", previousTimespan: "2026-11-29T08:00:00Z/2026-11-29T09:00:00Z", ...(filter ? { filter } : {}), zone: "UTC", localWindow: "2026-11-29 09:00–10:00 UTC", method: "sum" },
});
const answer = (results: MetricResult[]): QueryAnswer => {
  const a: QueryAnswer = { topic: "Requests", zone: "UTC", window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "2026-11-29T08:00:00Z", end: "2026-11-29T09:00:00Z" }, results, notes: [], requests: [] };
  return { ...a, links: metricLinks(a, "https://portal.azure.com") };
};
const compose = (a: QueryAnswer) => composeReply({ kind: "answer", question: { topic: "Requests", asks: [], window: { kind: "relative", minutes: 60 }, filters: {}, notes: [] }, answer: a }, "requests");
const table = (links?: PortalLink[]): TableAnswer => ({ kind: "kql", topic: "kql", zone: "UTC", table: { columns: [{ name: "n", type: "long" }], rows: [[1]] }, shownRows: 1, lines: [], notes: [], sources: [], requests: [], ...(links ? { links } : {}) });

describe("portal links of metric answers", () => {
  it("one chart: a single \"Open in Azure portal\", its URL in full on a terminal", () => {
    const m = compose(answer([result("Requests", "AzureOpenAIRequests")]));
    expect(m.links?.map((l) => l.label)).toEqual(["Open in Azure portal"]);
    expect(m.links?.[0]?.url).toMatch(/^https:\/\/portal\.azure\.com\/#blade\/Microsoft_Azure_MonitoringMetrics\/Metrics\.ReactView\//);
    expect(renderText(m).split("\n").at(-1)).toBe(`  Open in Azure portal: ${m.links?.[0]?.url ?? ""}`);
  });

  it("several charts: each named by its figure, the first three only, the same chart once", () => {
    const m = compose(answer([
      result("Requests", "AzureOpenAIRequests"),
      result("Requests again", "AzureOpenAIRequests"),
      result("429s", "AzureOpenAIRequests", "StatusCode eq '429'"),
      result("Tokens", "TokenTransaction"),
      result("Latency", "AzureOpenAITimeToResponse"),
    ]));
    expect(m.links?.map((l) => l.label)).toEqual(["Open in Azure portal: Requests", "Open in Azure portal: 429s", "Open in Azure portal: Tokens"]);
  });

  it("a spend estimate is two metrics times prices, not a chart: no link of its own", () => {
    const spend = { ...result("Estimated cost (USD)", "ProcessedPromptTokens,GeneratedTokens"), provenance: { ...result("x", "x").provenance, metric: "ProcessedPromptTokens, GeneratedTokens (by ModelDeploymentName) × prices" } };
    const m = compose(answer([spend, result("Prompt tokens", "ProcessedPromptTokens")]));
    expect(m.links?.map((l) => l.label)).toEqual(["Open in Azure portal"]);
  });

  it("an answer without links (no known portal) has none, and the text has no link line", () => {
    const m = compose({ ...answer([result("Requests", "AzureOpenAIRequests")]), links: undefined });
    expect(m.links).toBeUndefined();
    expect(renderText(m)).not.toContain("Open in");
  });
});

describe("portal links of log answers", () => {
  it("\"Open in Log Analytics\", or each workspace named when there are several", () => {
    const one = composeTable(table([{ kind: "logs", about: "law-prod", url: "https://portal.azure.us/#blade/x" }]), { asked: "kql T" });
    expect(one.links).toEqual([{ label: "Open in Log Analytics", url: "https://portal.azure.us/#blade/x" }]);
    expect(renderText(one)).toContain("  Open in Log Analytics: https://portal.azure.us/#blade/x");
    const two = composeTable(table([{ kind: "logs", about: "law-prod", url: "https://p/1" }, { kind: "logs", about: "law-dev", url: "https://p/2" }]), { asked: "kql T" });
    expect(two.links?.map((l) => l.label)).toEqual(["Open in Log Analytics: law-prod", "Open in Log Analytics: law-dev"]);
    expect(composeTable(table(), { asked: "kql T" }).links).toBeUndefined();
  });
});
