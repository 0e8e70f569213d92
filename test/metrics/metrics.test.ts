// GET /metrics of a real bot process (Slack over HTTP against the fake Web API, Teams in local
// mode against the fake Bot Connector, the demo's simulated Azure): what an operator's Prometheus
// scrapes after people asked questions and a report ran.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import type { FakeBotConnector } from "../fakes/bot-connector.ts";
import type { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned } from "../fakes/slack-request.ts";
import { startObservedBot, type ObservedBot } from "../support/observed-bot.ts";
import { captureLogger, type CapturedLogger } from "../support/capture-logger.ts";
import { total } from "./prometheus-text.ts";

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let proc: BotProcess;
let base: string;
let events: string;
let log: CapturedLogger;

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}/metrics`, { headers });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
};

/** Scrapes until `ready` holds: a send is counted once the platform answered, just after the fake recorded it. */
const scrapeWhen = async (ready: (text: string) => boolean) => {
  for (let i = 0; i < 100; i++) {
    const m = await scrape();
    if (ready(m.text)) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the metrics never showed what was waited for");
};

let bot: ObservedBot;

beforeAll(async () => {
  bot = await startObservedBot();
  ({ slack, connector, proc, base, events, log } = bot);
});
afterAll(() => bot.close());

describe("/metrics", () => {
  it("counts a Slack question by platform, command and outcome, with its duration, the Azure requests it made and the post that answered it", async () => {
    await sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400100.000100", channel: "C0MET1", event_ts: "1764400100.000100" }));
    await slack.waitFor(() => slack.messages("C0MET1")[0]);
    const m = await scrapeWhen((t) => total(t, "aoai_deliveries_total", { platform: "slack" }) > 0);
    expect(m.status).toBe(200);
    expect(m.type).toContain("text/plain; version=0.0.4");
    expect(total(m.text, "aoai_questions_total", { platform: "slack", command: "ask", outcome: /^answer(ed)?$/ })).toBe(1);
    expect(total(m.text, "aoai_question_duration_seconds_count", { platform: "slack", command: "ask" })).toBe(1);
    expect(total(m.text, "aoai_azure_requests_total", { api: "metrics", status: "200" })).toBeGreaterThan(0);
    expect(total(m.text, "aoai_azure_request_duration_seconds_count", { api: "metrics" })).toBeGreaterThan(0);
    expect(total(m.text, "aoai_deliveries_total", { platform: "slack", outcome: "delivered" })).toBeGreaterThanOrEqual(1);
    // the process's own health, for the usual Node.js dashboards
    expect(total(m.text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(total(m.text, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    // fed by the query layer's caches (test/app/query-source-cache.test.ts)
    expect(m.text).toContain("# TYPE aoai_cache_hits_total counter");
  });

  it("counts help and questions it could not read under their own outcomes", async () => {
    for (const [text, channel] of [["help", "C0MET2"], ["what's the weather", "C0MET3"]] as const) {
      await sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: "1764400200.000100", channel, event_ts: "1764400200.000100" }));
      await slack.waitFor(() => slack.messages(channel)[0]);
    }
    const m = await scrape();
    expect(total(m.text, "aoai_questions_total", { platform: "slack", outcome: "help" })).toBe(1);
    expect(total(m.text, "aoai_questions_total", { platform: "slack", outcome: /^(error|not_understood)$/ })).toBe(1);
  });

  it("counts Teams answers and their deliveries (not the typing indicator)", async () => {
    const before = total((await scrape()).text, "aoai_deliveries_total", { platform: "teams" });
    const activity = personalMessage(connector.url, "latency");
    const res = await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    await connector.waitFor(() => connector.calls.find((c) => c.activityId === activity.id && c.body.type === "message"));
    const id = res.headers.get("x-request-id");
    await connector.waitFor(() => log.entries().find((e) => e.msg === "teams send" && e.reqId === id));
    const m = await scrape();
    expect(total(m.text, "aoai_questions_total", { platform: "teams", command: "ask" })).toBe(1);
    expect(total(m.text, "aoai_deliveries_total", { platform: "teams", outcome: "delivered" }) - before).toBe(1);
  });

  it("counts a scheduled run by report kind and outcome", async () => {
    const s: Schedule = { name: `m-${randomUUID().slice(0, 8)}`, cron: "0 9 * * *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0METREP" }], paused: false, origin: "config" };
    expect((await proc.runner.runSlot(s, new Date("2026-11-29T09:00:00Z"))).status).toBe("posted");
    const m = await scrape();
    expect(total(m.text, "aoai_schedule_runs_total", { schedule_kind: "summary", outcome: "posted" })).toBe(1);
    expect(slack.messages("C0METREP")).toHaveLength(1);
  });

  it("answers only this machine without METRICS_TOKEN: a request a local proxy forwarded is refused", async () => {
    const m = await scrape({ "x-forwarded-for": "203.0.113.9" });
    expect(m.status).toBe(403);
    expect(m.text).toContain("METRICS_TOKEN");
  });
});

describe("METRICS_TOKEN", () => {
  const start = (token: string) => {
    const env = { METRICS_TOKEN: token, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-metrics-")), "m.sqlite") };
    return startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", runSchedules: false, logger: captureLogger().logger });
  };

  it("asks every scraper, this machine too, for the token as a bearer token", async () => {
    const token = "m3tr1cs-t0ken-for-prometheus";
    const p = await start(token);
    try {
      const url = `http://127.0.0.1:${p.server.port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: "Bearer not-the-token-at-all-0000" } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.9" } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("aoai_questions_total");
    } finally {
      await p.stop();
    }
  });

  it("refuses to start with a token too short to protect anything, naming the variable", async () => {
    await expect(start("short")).rejects.toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });
});
