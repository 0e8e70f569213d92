// Spend estimates: token counts Azure Monitor reports (scripted raw series on the loopback fake,
// read by the real SDK) priced by the configured table; the expected figures are computed here from
// those raw series, never with the bot's own code.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import type { PriceTable } from "../../src/queries/prices.ts";
import type { Question } from "../../src/queries/question.ts";
import { QueryService } from "../../src/queries/service.ts";
import { PricesNotConfiguredError } from "../../src/queries/spend-plan.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";
import { expectSentAsPlanned } from "./sent-requests.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const WINDOW = "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z";
const LATER = new Date("2026-11-29T11:00:00Z");
const PRICES: PriceTable = { currency: "USD", models: { "GPT-4o": { inputPer1M: 2.5, outputPer1M: 10 }, "gpt-4o-mini": { inputPer1M: 0.15, outputPer1M: 0.6 } } };

/** Deployments named unlike their models: the model comes from Azure, not from the name. */
const MODEL: Readonly<Record<string, string>> = { "chat-prod": "gpt-4o", "chat-cheap": "gpt-4o-mini", embed: "text-embedding-3-large" };
interface Tokens {
  readonly prompt: readonly number[];
  readonly completion: readonly number[];
}
type Deployment = "chat-prod" | "chat-cheap" | "embed";
/** Per-minute token totals per deployment, for the window and the hour before (one FULL point there). */
const RAW: Readonly<Record<"current" | "previous", Readonly<Record<Deployment, Tokens>>>> = {
  current: {
    "chat-prod": { prompt: [120_000, 80_000, 95_500], completion: [30_000, 12_345, 20_000] },
    "chat-cheap": { prompt: [900_000, 1_100_000], completion: [250_000, 310_000] },
    embed: { prompt: [5_000_000], completion: [] },
  },
  previous: {
    "chat-prod": { prompt: [250_000], completion: [50_000] },
    "chat-cheap": { prompt: [1_500_000], completion: [400_000] },
    embed: { prompt: [4_000_000], completion: [] },
  },
};

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** The estimate by hand: tokens ÷ 1M × the model's price, priced deployments only. */
function expectedCost(window: keyof typeof RAW, deployment: "chat-prod" | "chat-cheap"): number {
  const price = deployment === "chat-prod" ? { i: 2.5, o: 10 } : { i: 0.15, o: 0.6 };
  const t = RAW[window][deployment];
  return (sum(t.prompt) / 1e6) * price.i + (sum(t.completion) / 1e6) * price.o;
}

const series = (dims: Record<string, string>, totals: readonly number[], start: string) => ({
  metadatavalues: Object.entries(dims).map(([k, v]) => ({ name: { value: k.toLowerCase(), localizedValue: k }, value: v })),
  data: totals.map((total, i) => ({ timeStamp: new Date(Date.parse(start) + i * 60_000).toISOString().replace(".000Z", "Z"), total })),
});
const metric = (name: string, ts: unknown[]) => ({ id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "Count", errorCode: "Success", timeseries: ts });

function reply(req: RecordedRequest): unknown {
  const q = req.query;
  if (q.resultType === "Metadata") return { timespan: q.timespan, value: [metric("AzureOpenAIRequests", Object.keys(MODEL).map((d) => series({ ModelDeploymentName: d }, [], "2026-11-29T09:00:00Z")))] };
  if (q.metricnames === "AzureOpenAIRequests") {
    // which model each deployment runs: one series per (deployment, model) with its calls
    return { timespan: q.timespan, interval: q.interval, value: [metric("AzureOpenAIRequests", Object.entries(MODEL).map(([d, m]) => series({ ModelDeploymentName: d, ModelName: m }, [1000], "2026-11-29T08:00:00Z")))] };
  }
  const window = q.timespan === current ? "current" : "previous";
  const start = window === "current" ? "2026-11-29T09:00:00Z" : "2026-11-29T08:00:00Z";
  const side = (name: string, key: "prompt" | "completion") => metric(name, Object.entries(RAW[window]).filter(([, t]) => t[key].length > 0).map(([d, t]) => series({ ModelDeploymentName: d }, t[key], start)));
  return { timespan: q.timespan, interval: q.interval, value: (q.metricnames ?? "").split(",").map((name) => side(name, name === "ProcessedPromptTokens" ? "prompt" : "completion")) };
}

let fake: FakeAzureMonitor;
/** The window the test asks about: its requests get RAW.current, the baseline's RAW.previous. */
let current = WINDOW;
const serviceWith = (prices?: PriceTable) => {
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => LATER });
  return new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => LATER, ...(prices ? { prices } : {}) });
};
const spend = (over: Partial<Question> = {}): Question => ({ topic: "Estimated cost", asks: [], window: { kind: "absolute", start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z" }, filters: {}, estimate: "spend", notes: [], ...over });

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  current = WINDOW;
  fake.handler = (req) => ({ status: 200, body: reply(req) });
});
afterEach(async () => {
  await fake.close();
});

describe("estimated cost from tokens × configured prices", () => {
  it("prices each deployment's tokens by the model Azure reports for it, and compares with the baseline", async () => {
    const service = serviceWith(PRICES);
    const q = spend({ splitBy: "ModelDeploymentName" });
    const plan = await service.plan(q);
    const before = fake.requests.length;
    const a = await service.answer(q);
    // every request is in the plan, the model read included
    expectSentAsPlanned(fake.requests.slice(before), plan, a.requests);
    expect(plan.requests.filter((p) => p.purpose === "models").map((p) => [p.request.metricnames, p.request.filter, p.request.interval, p.request.timespan])).toEqual([["AzureOpenAIRequests", "ModelDeploymentName eq '*' and ModelName eq '*'", "FULL", "2026-11-29T08:00:00Z/2026-11-29T10:00:00Z"]]);

    const cost = a.results[0]!;
    expect(a.topic).toBe("Estimated cost (from token counts × configured prices; not your bill)");
    expect(cost.label).toBe("Estimated cost (USD)");
    expect(cost.value).toBeCloseTo(expectedCost("current", "chat-prod") + expectedCost("current", "chat-cheap"), 9);
    expect(cost.previous).toBeCloseTo(expectedCost("previous", "chat-prod") + expectedCost("previous", "chat-cheap"), 9);
    expect(cost.series.map((s) => [s.dimensions.ModelDeploymentName, s.value])).toEqual([
      ["chat-prod", expect.closeTo(expectedCost("current", "chat-prod"), 9)],
      ["chat-cheap", expect.closeTo(expectedCost("current", "chat-cheap"), 9)],
    ]);
    // per minute too: the first minute of chat-prod and chat-cheap and embed (unpriced)
    expect(cost.points[0]?.value).toBeCloseTo((120_000 / 1e6) * 2.5 + (30_000 / 1e6) * 10 + (900_000 / 1e6) * 0.15 + (250_000 / 1e6) * 0.6, 9);
    expect(cost.provenance.formula).toContain("÷ 1,000,000 × input price");
    expect(cost.provenance.method).toMatch(/^2 of 3 deployments priced; Σ over deployments/);
    // the tokens behind it, from the same series
    expect(a.results.slice(1).map((r) => [r.label, r.value])).toEqual([
      ["Prompt tokens", sum([...RAW.current["chat-prod"].prompt, ...RAW.current["chat-cheap"].prompt, ...RAW.current.embed.prompt])],
      ["Completion tokens", sum([...RAW.current["chat-prod"].completion, ...RAW.current["chat-cheap"].completion])],
    ]);
    expect(a.notes).toEqual(expect.arrayContaining([
      "Prices used (USD per 1M tokens, from `prices:`): gpt-4o 2.5 input / 10 output; gpt-4o-mini 0.15 input / 0.6 output.",
      "Not in the estimate: embed (model text-embedding-3-large has no entry in `prices.models`): 5,000,000 prompt and 0 completion tokens.",
      expect.stringContaining("An estimate, not your bill"),
    ]));
  });

  it("adds up by model, and for one deployment or model only", async () => {
    const service = serviceWith({ currency: "EUR", models: { "gpt-4o": { inputPer1M: 2.5, outputPer1M: 10 }, "gpt-4o-mini": { inputPer1M: 0.15, outputPer1M: 0.6 }, "text-embedding-3-large": { inputPer1M: 0.13, outputPer1M: 0 } } });
    const byModel = await service.answer(spend({ splitBy: "ModelName" }));
    const embed = (sum(RAW.current.embed.prompt) / 1e6) * 0.13;
    expect(byModel.results[0]?.series.map((s) => [s.dimensions.ModelName, s.value])).toEqual([
      ["gpt-4o", expect.closeTo(expectedCost("current", "chat-prod"), 9)],
      ["text-embedding-3-large", expect.closeTo(embed, 9)],
      ["gpt-4o-mini", expect.closeTo(expectedCost("current", "chat-cheap"), 9)],
    ]);
    const mini = await service.answer(spend({ filters: { ModelName: ["gpt-4o-mini"] } }));
    expect(mini.results.map((r) => [r.label, r.value])).toEqual([
      ["Estimated cost (EUR)", expect.closeTo(expectedCost("current", "chat-cheap"), 9)],
      ["Prompt tokens", sum(RAW.current["chat-cheap"].prompt)],
      ["Completion tokens", sum(RAW.current["chat-cheap"].completion)],
    ]);
  });

  it("answers 'cost by deployment yesterday' in chat, labelled an estimate", async () => {
    current = "2026-11-28T00:00:00Z/2026-11-29T00:00:00Z";
    const conversation = new Conversation(new Bot(serviceWith(PRICES)));
    const m = await conversation.say("cost by deployment yesterday", { platform: "console" });
    expect(m.kind).toBe("answer");
    expect(m.title).toBe("Estimated cost (from token counts × configured prices; not your bill) — yesterday");
    const text = renderText(m);
    const total = expectedCost("current", "chat-prod") + expectedCost("current", "chat-cheap");
    expect(text).toContain(`Estimated cost (USD): ${total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    expect(text).toContain("chat-prod");
    expect(text).toContain("÷ 1,000,000 × input price");
  });

  it("without prices, says how to add them and asks Azure for nothing", async () => {
    const service = serviceWith();
    const before = fake.metricsRequests().length;
    await expect(service.answer(spend())).rejects.toBeInstanceOf(PricesNotConfiguredError);
    await expect(service.answer(spend())).rejects.toThrow("I can't estimate spend yet: no prices are configured.");
    expect(fake.metricsRequests().length).toBe(before);
  });
});
