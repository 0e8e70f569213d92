// A retry storm: Slack redelivering the same event (X-Slack-Retry-Num 1–3) and the same slash command
// many times at once, as it does when acknowledgements are slow. Every delivery is acknowledged, the
// question is answered exactly once, and nothing is left half-done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, slashCommand } from "../fakes/slack-request.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const STORM = 30;
let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
let base: string;
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events, base } = await startSlackBot(slack));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});
const settle = () => new Promise((r) => setTimeout(r, 500));

describe("a Slack retry storm", () => {
  it(`answers one mention delivered ${STORM} times at once exactly once`, async () => {
    const event = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764401000.000100", channel: "C0STORM", event_ts: "1764401000.000100" }, "EvStorm1");
    const statuses = await Promise.all(Array.from({ length: STORM }, (_, i) => sendSigned(events, { ...event, headers: { "x-slack-retry-num": String((i % 3) + 1), "x-slack-retry-reason": "http_timeout" } }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0STORM"));
    await settle();
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0STORM")).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it(`answers one slash command delivered ${STORM} times at once exactly once`, async () => {
    const cmd = slashCommand("latency", { response_url: `${slack.url}/hooks/storm`, trigger_id: "trigger-storm", channel_id: "C0STORMCMD" });
    const statuses = await Promise.all(Array.from({ length: STORM }, () => sendSigned(events, cmd).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/storm"));
    await settle();
    expect(slack.responses.filter((r) => r.path === "/hooks/storm")).toHaveLength(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});
