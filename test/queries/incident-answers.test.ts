// During a throttling incident every answer points the right way: each defect seen in the demo,
// asked in words through the real parser, the real Azure SDK and the loopback Azure Monitor fake
// serving raw per-minute data this file defines (incident-data.ts). Expected figures are computed
// here from that data, never with the bot's own aggregation.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Bot } from "../../src/bot/bot.ts";
import { answerJson } from "../../src/cli/json-output.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import type { MetricResult, QueryAnswer } from "../../src/queries/result.ts";
import { QueryService } from "../../src/queries/service.ts";
import { evaluateCondition, parseCondition } from "../../src/schedules/reports/condition.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { AOAI, CODES, DATA_END, DEPLOYMENTS, incidentReply, minute, NOW, SPIKE, sumMinutes, tokens } from "./incident-data.ts";

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const HOUR_START = at("2026-12-01T13:30:00Z");
const COVERED = (DATA_END.getTime() - HOUR_START.getTime()) / MIN; // 58 of 60 minutes have arrived
const PREV_START = at("2026-12-01T12:30:00Z");
const PREV_CUT = new Date(PREV_START.getTime() + COVERED * MIN);

const calls = (deps: readonly string[], codes: readonly string[], s: Date, e: Date) => sumMinutes(s, e, (t) => deps.reduce((a, d) => a + codes.reduce((b, c) => b + minute(d, c, t).calls, 0), 0));
const latency = (deps: readonly string[], codes: readonly string[], s: Date, e: Date) =>
  sumMinutes(s, e, (t) => deps.reduce((a, d) => a + codes.reduce((b, c) => b + minute(d, c, t).calls * minute(d, c, t).ms, 0), 0)) / calls(deps, codes, s, e);
const codesOf = (...prefixes: string[]) => CODES.filter((c) => prefixes.some((p) => c.startsWith(p)));
const ALL = [...DEPLOYMENTS];
const MINI = ["gpt-4o-mini"];

let fake: FakeAzureMonitor;
let service: QueryService;
let bot: Bot;

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  fake.handler = incidentReply;
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW });
  service = new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => NOW });
  bot = new Bot(service);
});
afterEach(async () => {
  await fake.close();
});

async function ask(text: string): Promise<QueryAnswer> {
  const reply = await bot.ask(text, undefined, NOW);
  if (reply.kind !== "answer") throw new Error(`"${text}" got ${reply.kind}: ${reply.kind === "error" ? reply.message : ""}`);
  return reply.answer;
}
async function one(text: string): Promise<MetricResult> {
  const a = await ask(text);
  expect(a.results).toHaveLength(1);
  return a.results[0]!;
}

describe("figures with one meaning each", () => {
  it("success rate is 2xx ÷ all calls, not Azure's availability, and falls during the throttling", async () => {
    const r = await one("success rate gpt-4o-mini last hour");
    const expected = (calls(MINI, ["200"], HOUR_START, DATA_END) / calls(MINI, CODES, HOUR_START, DATA_END)) * 100;
    expect(r).toMatchObject({ label: "Success rate", unit: "Percent", figure: "success-rate" });
    expect(r.value).toBeCloseTo(expected, 9);
    expect(r.value).toBeLessThan(70);
    expect(r.previous).toBeCloseTo((calls(MINI, ["200"], PREV_START, PREV_CUT) / calls(MINI, CODES, PREV_START, PREV_CUT)) * 100, 9);
    expect(r.parts).toEqual({ numerator: calls(MINI, ["200"], HOUR_START, DATA_END), denominator: calls(MINI, CODES, HOUR_START, DATA_END) });
    expect(r.provenance.formula).toContain("2xx calls ÷ all calls");
  });

  it("says Azure's availability counts 429s as available whenever availability is asked", async () => {
    const a = await ask("availability gpt-4o-mini");
    expect(a.notes.join(" ")).toContain("counts 429s as available");
  });

  it("error rate and throttle rate are percentages with the counts behind them", async () => {
    const err = await one("error rate last hour");
    const all = calls(ALL, CODES, HOUR_START, DATA_END);
    expect(err.unit).toBe("Percent");
    expect(err.value).toBeCloseTo((calls(ALL, codesOf("4", "5"), HOUR_START, DATA_END) / all) * 100, 9);
    expect(err.provenance.method).toContain(`of ${all.toLocaleString("en-US")} calls`);
    const thr = await one("throttle rate of gpt-4o-mini");
    expect(thr.value).toBeCloseTo((calls(MINI, ["429"], HOUR_START, DATA_END) / calls(MINI, CODES, HOUR_START, DATA_END)) * 100, 9);
  });

  it("success and error shares add up to 100 % with the other classes (here none)", async () => {
    const [s, e] = [await one("success rate last hour"), await one("error rate last hour")];
    expect((s.value ?? 0) + (e.value ?? 0)).toBeCloseTo(100, 9);
  });

  it("requests per minute are the average and the peak of the PT1M points, with the minute of the peak", async () => {
    const a = await ask("requests per minute");
    const [avg, peak] = a.results;
    expect(avg?.value).toBeCloseTo(calls(ALL, CODES, HOUR_START, DATA_END) / COVERED, 9);
    let best = { v: -1, t: 0 };
    for (let t = HOUR_START.getTime(); t < DATA_END.getTime(); t += MIN) {
      const v = ALL.reduce((s, d) => s + CODES.reduce((b, c) => b + minute(d, c, t).calls, 0), 0);
      if (v > best.v) best = { v, t };
    }
    expect(peak).toMatchObject({ label: "Peak requests per minute", value: best.v, peakAt: new Date(best.t).toISOString().replace(".000Z", "Z") });
  });

  it("peak tokens per minute is the largest minute, not a daily total", async () => {
    const r = await one("peak tokens per minute");
    expect(r.value).toBe(ALL.reduce((s, d) => s + tokens(d, SPIKE.getTime()), 0));
    expect(r.peakAt).toBe("2026-12-01T13:47:00Z");
  });

  it("the slowest minute is the largest per-minute average of successful calls, not the window average", async () => {
    const r = await one("slowest minute");
    let worst = 0;
    for (let t = HOUR_START.getTime(); t < DATA_END.getTime(); t += MIN) worst = Math.max(worst, latency(ALL, ["200"], new Date(t), new Date(t + MIN)));
    expect(r.value).toBeCloseTo(worst, 9);
    expect(r.value).toBeGreaterThan(latency(ALL, ["200"], HOUR_START, DATA_END));
  });
});

describe("latency means successful calls", () => {
  it("leaves the fast 429s out and says what all calls would show, and why", async () => {
    const a = await ask("latency gpt-4o-mini last hour");
    const r = a.results[0]!;
    expect(r.value).toBeCloseTo(latency(MINI, ["200"], HOUR_START, DATA_END), 9);
    expect(r.previous).toBeCloseTo(latency(MINI, ["200"], PREV_START, PREV_CUT), 9);
    // it rose slightly; over all calls it would have looked like a big drop
    expect(r.value! - r.previous!).toBeGreaterThanOrEqual(0);
    const everything = latency(MINI, CODES, HOUR_START, DATA_END);
    expect(a.notes.join(" ")).toContain(`over all calls it is ${Math.round(everything).toLocaleString("en-US")} ms`);
    expect(a.notes.join(" ")).toContain("non-2xx calls were answered in");
  });
});

describe("status filters compose with the signal", () => {
  const TODAY = at("2026-12-01T00:00:00Z");
  it.each([
    ["errors status=500 today", "Errors (500)", ["500"]],
    ["errors status=429 today", "Errors (429)", ["429"]],
    ["errors status=5xx today", "Errors (5xx)", ["500", "503"]],
    ["requests status=503 today", "Requests (503)", ["503"]],
    ["server errors status=500 today", "Server errors (500)", ["500"]],
  ])("%j → %s", async (text, label, codes) => {
    const r = await one(text);
    expect(r.label).toBe(label);
    expect(r.value).toBe(calls(ALL, codes, TODAY, DATA_END));
    expect(r.value).toBeGreaterThan(0);
  });

  it("refuses 429s with status=500 as a contradiction instead of labelling 500s as 429s", async () => {
    const reply = await bot.ask("429s status=500", undefined, NOW);
    expect(reply).toMatchObject({ kind: "error", code: "conflicting_status" });
  });

  it("never answers 0 or no data where the same data with a wider filter has calls", async () => {
    for (const code of CODES) {
      const narrow = await one(`requests status=${code} today`);
      const wide = await one(`requests status=${code.charAt(0)}xx today`);
      const truth = calls(ALL, [code], TODAY, DATA_END);
      expect(narrow.value).toBe(truth);
      expect(wide.value).toBeGreaterThanOrEqual(truth);
      if ((wide.value ?? 0) > 0 && truth > 0) expect(narrow.value).toBeGreaterThan(0);
    }
  });

  it("splits add up to the total", async () => {
    const r = await one("requests by deployment today");
    expect(r.series.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(r.value);
    const byCode = await one("errors by status code today");
    expect(byCode.series.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(byCode.value);
    expect(byCode.value).toBe(calls(ALL, codesOf("4", "5"), TODAY, DATA_END));
  });
});

describe("comparisons compare", () => {
  it("compare A and B: one figure each, side by side", async () => {
    const a = await ask("compare gpt-4o and gpt-4o-mini latency");
    const byItem: Record<string, number | null> = Object.fromEntries(a.results.map((r) => [r.item?.value ?? "", r.value]));
    expect(Object.keys(byItem).sort()).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(byItem["gpt-4o"]).toBeCloseTo(latency(["gpt-4o"], ["200"], HOUR_START, DATA_END), 9);
    expect(byItem["gpt-4o-mini"]).toBeCloseTo(latency(MINI, ["200"], HOUR_START, DATA_END), 9);
    expect((answerJson(a) as { answers: unknown[] }).answers).toHaveLength(2);
  });

  it.each(["gpt-4o latency vs yesterday", "is gpt-4o slower than yesterday?"])("%j: the last hour against the same hour yesterday", async (text) => {
    const a = await ask(text);
    const r = a.results[0]!;
    const yStart = new Date(HOUR_START.getTime() - 86_400_000);
    const yCut = new Date(yStart.getTime() + COVERED * MIN);
    expect(a.window.start).toBe("2026-12-01T13:30:00Z");
    expect(r.baseline).toMatchObject({ kind: "day-before", label: "the same time yesterday", timespan: "2026-11-30T13:30:00Z/2026-11-30T14:28:00Z" });
    expect(r.previous).toBeCloseTo(latency(["gpt-4o"], ["200"], yStart, yCut), 9);
  });

  it.each([
    ["requests this week", "week-before", "2026-11-23T00:00:00Z/2026-11-24T14:28:00Z", "the same time last week"],
    ["requests today", "day-before", "2026-11-30T00:00:00Z/2026-11-30T14:28:00Z", "the same time yesterday"],
    ["requests since 9am", "day-before", "2026-11-30T09:00:00Z/2026-11-30T14:28:00Z", "the same time yesterday"],
    ["requests last 24h", "previous", "2026-11-29T14:30:00Z/2026-11-30T14:28:00Z", "the previous 24 h"],
    ["requests last hour", "previous", "2026-12-01T12:30:00Z/2026-12-01T13:28:00Z", "the previous hour"],
  ])("%j is compared with %s (%s)", async (text, kind, timespan, label) => {
    const a = await ask(text);
    const r = a.results[0]!;
    expect(r.baseline).toEqual({ kind, timespan, label });
    const [s, e] = timespan.split("/").map((x) => new Date(x));
    expect(r.previous).toBe(calls(ALL, CODES, s!, e!));
    expect(answerJson(a)).toMatchObject({ answers: [{ baseline: { kind, timespan }, previous: r.previous }] });
  });
});

describe("freshness", () => {
  it("says up to when data is in and compares the same covered length, so late minutes are no drop", async () => {
    const a = await ask("requests for gpt-4o last hour");
    expect(a.freshness).toEqual({ dataUntil: "2026-12-01T14:28:00Z", coveredMinutes: 58, windowMinutes: 60 });
    expect(a.notes.join(" ")).toContain("Data is in up to 2026-12-01 14:28 UTC");
    const r = a.results[0]!;
    // gpt-4o's traffic is steady: within a few percent of the same 58 minutes an hour earlier
    expect(Math.abs(r.value! / r.previous! - 1)).toBeLessThan(0.05);
    expect(r.previous).toBe(calls(["gpt-4o"], CODES, PREV_START, PREV_CUT));
  });

  it("a past window has no freshness note", async () => {
    const a = await ask("requests yesterday");
    expect(a.freshness).toBeUndefined();
    expect(a.results[0]?.baseline).toMatchObject({ kind: "day-before", label: "the day before" });
  });
});

describe("one definition in chat, conditions and the daily summary", () => {
  it("the condition `success rate < 99%` fires during the throttling, on the same figure chat gives", async () => {
    const c = parseCondition("success rate < 99% over 1h for gpt-4o-mini", [...DEPLOYMENTS]);
    const e = await evaluateCondition(c, service, NOW, "UTC");
    const chat = await one("success rate gpt-4o-mini last hour");
    expect(e.holds).toBe(true);
    expect(e.value).toBe(chat.value);
  });

  it("the daily summary's success rate is the catalog's 2xx ÷ all", async () => {
    const s = await service.summary(AOAI, at("2026-12-01T06:00:00Z"), "UTC");
    const y = [at("2026-11-30T00:00:00Z"), at("2026-12-01T00:00:00Z")] as const;
    expect(s.totals.successRate.value).toBeCloseTo((calls(ALL, ["200"], ...y) / calls(ALL, CODES, ...y)) * 100, 9);
  });
});
