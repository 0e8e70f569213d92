// A verdict first: "is anything wrong?" and "is X down?" lead with one line naming what is off and
// by how much. Asked through the one conversation entry, the real parser and the real Azure SDK
// against the loopback Azure Monitor fake serving traffic each test defines (verdict-traffic.ts);
// expected figures are computed here from that traffic, never with the bot's own aggregation.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import type { Message } from "../../src/bot/message.ts";
import { parse } from "../../src/bot/parse.ts";
import { DEFAULT_VERDICT, type VerdictThresholds } from "../../src/bot/verdict.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { calls, latency, MIN, RESOURCE, trafficHandler, type Cell, type Traffic } from "./verdict-traffic.ts";

/** Tuesday 1 December 2026 14:30 UTC: "chat" has been throttled since 13:30. */
const NOW = new Date("2026-12-01T14:30:00Z");
const HOUR_START = new Date("2026-12-01T13:30:00Z");
const QUIET = new Date("2026-12-01T04:00:00Z");
const CODES = ["200", "400", "429", "500"] as const;
const ALL = [...CODES];
const NONE: Cell = { calls: 0, ms: 0 };

const during = (t: number) => t >= HOUR_START.getTime() && t < NOW.getTime();
/** chat is throttled in the incident hour; big and embed are fine; spare (when listed) never has a call. */
function normal(d: string, code: string, t: number): Cell {
  const m = Math.floor(t / MIN);
  const wobble = (m * 7919) % 13;
  if (d === "chat") {
    if (code === "200") return { calls: 300 + wobble, ms: 1300 + wobble };
    if (code === "429") return during(t) ? { calls: 200 + wobble, ms: 12 } : NONE;
    if (code === "500") return m % 3 === 0 ? { calls: 1, ms: 800 } : NONE;
    return NONE;
  }
  if (d === "big") {
    if (code === "200") return { calls: 100 + (wobble % 5), ms: 2000 };
    return code === "400" && m % 10 === 0 ? { calls: 1, ms: 40 } : NONE;
  }
  if (d === "embed") return code === "200" ? { calls: 50, ms: 120 } : NONE;
  return NONE;
}

const traffic = (now: Date, over: Partial<Traffic> = {}): Traffic => ({ deployments: ["chat", "big", "embed"], codes: CODES, cell: normal, dataEnd: new Date(now.getTime() - 2 * MIN), ...over });

let fake: FakeAzureMonitor;
beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

async function say(text: string, tr: Traffic, now: Date, thresholds?: VerdictThresholds): Promise<Message> {
  fake.handler = trafficHandler(tr);
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => now });
  const bot = new Bot(new QueryService({ metrics, resourceIds: [RESOURCE], zone: "UTC", now: () => now }), undefined, thresholds ? { verdict: thresholds } : {});
  return new Conversation(bot).say(text, { platform: "test", user: "U1" });
}

const pct = (v: number) => `${v.toFixed(2).replace(/\.?0+$/, "")} %`;
const n = (v: number) => v.toLocaleString("en-US");
/** chat's throttle share in the incident hour, from the raw minutes. */
function chatThrottled(tr: Traffic): { share: string; of: string } {
  const throttled = calls(tr, ["chat"], ["429"], HOUR_START, NOW);
  const all = calls(tr, ["chat"], ALL, HOUR_START, NOW);
  return { share: pct((throttled / all) * 100), of: `${n(throttled)} of ${n(all)}` };
}
const row = (m: Message, figure: string, name: string) => m.figures.find((f) => f.label === figure)?.breakdown?.rows.find((r) => r[0] === name);

describe("is anything wrong?", () => {
  it("during the throttling names chat and its throttle share, and the figures below agree", async () => {
    const tr = traffic(NOW);
    const m = await say("is anything wrong?", tr, NOW);
    const { share, of } = chatThrottled(tr);
    expect(m.lines[0]).toBe(`⚠️ chat: ${share} of calls throttled (${of} answered 429) in the last 1 h; big and embed look normal.`);
    expect(m.tone).toBe("warning");
    expect(m.summary).toBe(m.lines[0]);
    // the same catalog figure the verdict read, in the breakdown under it
    expect(row(m, "Throttle rate", "chat")?.[1]).toBe(share);
    const success = (calls(tr, ["chat"], ["200"], HOUR_START, NOW) / calls(tr, ["chat"], ALL, HOUR_START, NOW)) * 100;
    expect(m.lines).toContain(`chat — degraded: throttle rate ${share} (over 5 %), error rate ${pct(100 - success)} (over 5 %), success rate ${pct(success)} (under 95 %).`);
    expect(m.footnotes.join("\n")).toContain("`verdict:` in aoai.config.yaml");
  });

  it("at a quiet time says every deployment looks normal, and what normal meant", async () => {
    const m = await say("how are we doing", traffic(QUIET), QUIET);
    expect(m.lines[0]).toBe("🟢 All 3 deployments look normal in the last 1 h (throttled ≤ 5 %, errors ≤ 5 %, success rate ≥ 95 %, latency within +50 % of the previous hour).");
    expect(m.tone).toBe("ok");
  });

  it('"anything on fire?" is the same health question, not a deployment named fire', async () => {
    const m = await say("anything on fire?", traffic(NOW), NOW);
    expect(m.kind).toBe("answer");
    expect(m.lines[0]).toMatch(/^⚠️ chat: [\d.]+ % of calls throttled/);
  });

  it("a partly filled window is not judged as a drop: ten late minutes leave everyone normal, and the answer says how fresh", async () => {
    const m = await say("is anything wrong?", traffic(QUIET, { dataEnd: new Date(QUIET.getTime() - 10 * MIN) }), QUIET);
    expect(m.lines[0]).toMatch(/^🟢 All 3 deployments look normal in the last 1 h/);
    expect(m.notes.join("\n")).toContain("50 of 60 minutes");
  });

  it("says slow successful calls, by how much against the previous hour", async () => {
    const slow = (d: string, code: string, t: number): Cell => (d === "big" && code === "200" && during(t) ? { ...normal(d, code, t), ms: 4000 } : normal(d, code, t));
    const tr = traffic(NOW, { cell: (d, c, t) => (d === "chat" && c === "429" ? NONE : slow(d, c, t)) });
    const m = await say("is anything wrong?", tr, NOW);
    const now = latency(tr, ["big"], ["200"], HOUR_START, NOW);
    const before = latency(tr, ["big"], ["200"], new Date(HOUR_START.getTime() - 60 * MIN), new Date(NOW.getTime() - 62 * MIN));
    expect(m.lines[0]).toBe(`⚠️ big: successful calls ${pct(((now - before) / before) * 100)} slower than the previous hour (${n(now)} ms vs ${n(before)} ms) in the last 1 h; chat and embed look normal.`);
  });

  it("judges the last 10 minutes on their own: a slowdown that began 8 minutes ago, under the threshold over the hour, is named", async () => {
    const since = NOW.getTime() - 10 * MIN;
    const cell = (d: string, code: string, t: number): Cell => (d === "chat" && code === "429" ? NONE : d === "big" && code === "200" && t >= since ? { ...normal(d, code, t), ms: 9000 } : normal(d, code, t));
    const tr = traffic(NOW, { cell });
    const hour = latency(tr, ["big"], ["200"], HOUR_START, NOW);
    const before = latency(tr, ["big"], ["200"], new Date(HOUR_START.getTime() - 60 * MIN), new Date(NOW.getTime() - 62 * MIN));
    expect(((hour - before) / before) * 100).toBeLessThan(50);
    const last = latency(tr, ["big"], ["200"], new Date(since), NOW);
    const m = await say("is anything wrong?", tr, NOW);
    expect(m.lines[0]).toBe(`⚠️ big: successful calls' time to response ${n(Math.round(last))} ms in the last 10 min, +${pct(((last - before) / before) * 100)} vs the previous hour (${n(Math.round(before))} ms); chat and embed look normal.`);
    expect(m.lines).toContain(`big — degraded: latency of successful calls in the last 10 min +${pct(((last - before) / before) * 100)} (over +50 %).`);
    expect(m.footnotes.join("\n")).toContain("The last 10 min are judged on their own too");
    expect((await say("is big ok?", tr, NOW)).lines[0]).toMatch(/^⚠️ big is degraded \(slow in the last 10 min\), not down: successful calls' time to response /);
  });

  it("a throttling burst in the last minutes is named with its share of those minutes' calls, and not judged again when the hour already shows it", async () => {
    const since = NOW.getTime() - 10 * MIN;
    const burst = (d: string, code: string, t: number): Cell => (d === "chat" && code === "429" ? (t >= since ? { calls: 100, ms: 12 } : NONE) : normal(d, code, t));
    const tr = traffic(NOW, { cell: burst });
    const hourShare = (calls(tr, ["chat"], ["429"], HOUR_START, NOW) / calls(tr, ["chat"], ALL, HOUR_START, NOW)) * 100;
    expect(hourShare).toBeLessThan(5);
    const throttled = calls(tr, ["chat"], ["429"], new Date(since), NOW);
    const all = calls(tr, ["chat"], ALL, new Date(since), NOW);
    const m = await say("is anything wrong?", tr, NOW);
    expect(m.lines[0]).toBe(`⚠️ chat: ${pct((throttled / all) * 100)} of calls throttled in the last 10 min (${n(throttled)} of ${n(all)} answered 429); big and embed look normal.`);
    // the hour-long throttling is said over the hour only
    const hourLong = await say("is anything wrong?", traffic(NOW), NOW);
    expect(hourLong.lines.join("\n")).not.toContain("in the last 10 min");
  });

  it("a past window is judged as a whole: its last minutes are not 'the last 10 min'", async () => {
    const late = new Date("2026-12-01T16:00:00Z");
    const cell = (d: string, code: string, t: number): Cell => (d === "chat" && code === "429" ? NONE : d === "big" && code === "200" && t >= NOW.getTime() - 10 * MIN && t < NOW.getTime() ? { ...normal(d, code, t), ms: 6000 } : normal(d, code, t));
    const tr = traffic(late, { cell });
    const last = latency(tr, ["big"], ["200"], new Date(NOW.getTime() - 10 * MIN), NOW);
    const before = latency(tr, ["big"], ["200"], new Date(HOUR_START.getTime() - 60 * MIN), HOUR_START);
    expect(((last - before) / before) * 100).toBeGreaterThan(50);
    const m = await say("is anything wrong from 13:30 to 14:30?", tr, late);
    expect(m.lines[0]).toMatch(/^🟢 All 3 deployments look normal/);
    expect(m.footnotes.join("\n")).not.toContain("The last 10 min");
  });

  it("a listed deployment without calls is no data, never normal", async () => {
    const m = await say("is anything wrong?", traffic(QUIET, { deployments: ["chat", "big", "embed", "spare"] }), QUIET);
    expect(m.lines[0]).toMatch(/^🟢 3 deployments look normal in the last 1 h \(.*\); no data for spare \(no calls while others had traffic\)\.$/);
    expect(m.lines).toContain("spare — no data (idle): no calls in the window.");
  });

  it("with no calls for any deployment says no data, not down", async () => {
    const m = await say("is anything wrong?", traffic(NOW, { dataEnd: new Date(HOUR_START.getTime() - 30 * MIN) }), NOW);
    expect(m.lines[0]).toBe("⚠️ No data in the last 1 h: Azure Monitor has no calls for any deployment, so nothing can be judged yet.");
    expect(m.lines.join("\n")).not.toMatch(/\bdown\b|normal/);
  });
});

describe("is X down?", () => {
  it("chat during the burst is degraded (throttled), not down", async () => {
    const tr = traffic(NOW);
    const m = await say("is chat down?", tr, NOW);
    const { share, of } = chatThrottled(tr);
    const success = (calls(tr, ["chat"], ["200"], HOUR_START, NOW) / calls(tr, ["chat"], ALL, HOUR_START, NOW)) * 100;
    expect(m.lines[0]).toBe(`⚠️ chat is degraded (throttled), not down: ${share} of calls throttled (${of} answered 429) in the last 1 h; ${pct(success)} of calls succeeded.`);
  });

  it("a deployment answering every call with 500 is down, and the answer fires", async () => {
    const broken = (d: string, code: string, t: number): Cell => (d === "big" && during(t) ? (code === "500" ? { calls: 40, ms: 900 } : NONE) : normal(d, code, t));
    const tr = traffic(NOW, { cell: broken });
    const m = await say("is big down?", tr, NOW);
    expect(m.lines[0]).toBe(`🔴 big is down: none of ${n(calls(tr, ["big"], ALL, HOUR_START, NOW))} calls succeeded in the last 1 h.`);
    expect(m.tone).toBe("firing");
    expect((await say("is anything wrong?", tr, NOW)).lines[0]).toMatch(/^🔴 big: none of [\d,]+ calls succeeded; chat: [\d.]+ % of calls throttled .* in the last 1 h; embed looks normal\.$/);
  });

  it("a healthy deployment is up, with its calls and success rate", async () => {
    const tr = traffic(NOW);
    const m = await say("is embed down?", tr, NOW);
    expect(m.lines[0]).toBe(`🟢 embed is up: ${n(calls(tr, ["embed"], ALL, HOUR_START, NOW))} calls in the last 1 h; 100 % of calls succeeded, nothing over its thresholds.`);
  });

  it("a deployment without calls while the others had traffic is idle; with none anywhere it is no data", async () => {
    const listed = { deployments: ["chat", "big", "embed", "spare"] };
    expect((await say("is spare down?", traffic(NOW, listed), NOW)).lines[0]).toBe("⚠️ spare: no data, it had no calls in the last 1 h while other deployments had traffic (idle).");
    const gap = traffic(NOW, { ...listed, dataEnd: new Date(HOUR_START.getTime() - 30 * MIN) });
    expect((await say("is chat down?", gap, NOW)).lines[0]).toBe("⚠️ chat: no data, Azure Monitor has no calls for any deployment in the last 1 h, so it can't be told whether it is down.");
  });

  it("is asked over every deployment, the named one its focus", () => {
    const p = parse("is gpt-4o down?", { deployments: ["gpt-4o", "gpt-4o-mini"] });
    expect(p.kind === "question" && p.question).toMatchObject({ verdict: { focus: ["gpt-4o"] }, splitBy: "ModelDeploymentName", filters: {} });
  });
});

describe("thresholds are configuration", () => {
  it("looser thresholds from aoai.config.yaml let the same throttling pass as normal", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aoai-verdict-"));
    writeFileSync(join(dir, "aoai.config.yaml"), "verdict:\n  throttleRate: 50\n  errorRate: 50\n  successRate: 50\n");
    const { verdict } = loadConfig({ env: {}, cwd: dir });
    const m = await say("is anything wrong?", traffic(NOW), NOW, verdict);
    expect(m.lines[0]).toBe("🟢 All 3 deployments look normal in the last 1 h (throttled ≤ 50 %, errors ≤ 50 %, success rate ≥ 50 %, latency within +50 % of the previous hour).");
  });

  it("rates of a deployment with fewer calls than minCalls are not judged", async () => {
    const tr = traffic(NOW);
    const all = calls(tr, ["chat"], ALL, HOUR_START, NOW);
    const m = await say("is chat down?", tr, NOW, { ...DEFAULT_VERDICT, minCalls: all + 1 });
    expect(m.lines[0]).toMatch(/^🟢 chat is up: /);
  });
});
