// One request id per piece of work, on every line it logs: a Slack event's Azure calls and the post
// that answers it (after Bolt has acknowledged), a Teams activity's, and each scheduled run's own.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import type { FakeBotConnector } from "../fakes/bot-connector.ts";
import type { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, sign } from "../fakes/slack-request.ts";
import { startObservedBot, type ObservedBot } from "../support/observed-bot.ts";
import type { CapturedLogger, LogEntry } from "../support/capture-logger.ts";

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let proc: BotProcess;
let base: string;
let events: string;
let log: CapturedLogger;

const mention = (text: string, channel: string) => eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: "1764400100.000100", channel, event_ts: "1764400100.000100" });
const withId = (id: string) => log.entries().filter((e) => e.reqId === id);
const msgs = (entries: readonly LogEntry[]) => new Set(entries.map((e) => e.msg));
/** The line a send logs once the platform answered (it follows the message landing in the fake). */
const sent = (id: string, msg: string) => slack.waitFor(() => withId(id).find((e) => e.msg === msg));

let bot: ObservedBot;

beforeAll(async () => {
  bot = await startObservedBot();
  ({ slack, connector, proc, base, events, log } = bot);
});
afterAll(() => bot.close());

describe("request ids", () => {
  it("carries a Slack event's id from the request through Bolt's listener to the Azure calls and the post", async () => {
    const res = await sendSigned(events, { ...mention("latency", "C0RID1"), headers: { "x-request-id": "slack-evt-42" } });
    expect(res.status).toBe(200);
    await slack.waitFor(() => slack.messages("C0RID1")[0]);
    await sent("slack-evt-42", "slack send");
    const lines = withId("slack-evt-42");
    expect(lines.filter((e) => e.msg === "azure request").map((e) => e.api)).toContain("metrics");
    expect(lines.find((e) => e.msg === "azure request" && e.api === "metrics")).toMatchObject({ component: "azure", method: "GET", status: "200", path: expect.stringMatching(/\/providers\/Microsoft\.Insights\/metrics$/i) as unknown });
    expect(lines.some((e) => e.msg === "slack send" && e.outcome === "delivered")).toBe(true);
  });

  it("echoes the id back, and replaces one that is not a short plain token", async () => {
    const res = await fetch(`${base}/healthz`, { headers: { "x-request-id": "caller-id_1" } });
    expect(res.headers.get("x-request-id")).toBe("caller-id_1");
    for (const unsafe of ["two words", "a".repeat(65), 'quo"te', "semi;colon", ""]) {
      const r = await fetch(`${base}/healthz`, { headers: { "x-request-id": unsafe } });
      expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("gives a request without one a new id, which every line of its answer carries", async () => {
    const { body, contentType } = mention("429s gpt-4o-mini", "C0RID2");
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(events, { method: "POST", body, headers: { "content-type": contentType, "x-slack-request-timestamp": ts, "x-slack-signature": sign(body, ts) } });
    const id = res.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    await slack.waitFor(() => slack.messages("C0RID2")[0]);
    await sent(id, "slack send");
    expect([...msgs(withId(id))]).toEqual(expect.arrayContaining(["azure request", "slack send"]));
  });

  it("carries a Teams activity's id into the adapter's turn, its Azure calls and its reply", async () => {
    // not a question asked above: that one's answer would come from the process's cache, without an Azure call
    const activity = personalMessage(connector.url, "tokens by deployment today");
    const res = await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json", "x-request-id": "teams-act-7" }, body: JSON.stringify(activity) });
    expect(res.headers.get("x-request-id")).toBe("teams-act-7");
    await connector.waitFor(() => connector.calls.find((c) => c.activityId === activity.id && c.body.type === "message"));
    await sent("teams-act-7", "teams send");
    expect(withId("teams-act-7").map((e) => e.msg)).toEqual(expect.arrayContaining(["azure request", "teams send"]));
  });

  it("gives each scheduled run an id of its own", async () => {
    const s: Schedule = { name: `rid-${randomUUID().slice(0, 8)}`, cron: "0 9 * * *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0RIDREP" }], paused: false, origin: "config" };
    const ids: unknown[][] = [];
    for (const slot of ["2026-11-28T09:00:00Z", "2026-11-29T09:00:00Z"]) {
      const from = log.lines.length;
      expect((await proc.runner.runSlot(s, new Date(slot))).status).toBe("posted");
      const run = log.entries().slice(from).filter((e) => e.msg === "azure request" || e.msg === "slack send");
      expect(run.length).toBeGreaterThan(1);
      ids.push([...new Set(run.map((e) => e.reqId))]);
    }
    expect(ids[0]).toHaveLength(1);
    expect(ids[1]).toHaveLength(1);
    expect(ids[0]![0]).toEqual(expect.stringMatching(/^[0-9a-f]{16}$/));
    expect(ids[1]![0]).not.toBe(ids[0]![0]);
  });
});
