// A stopping bot process whose drain (AOAI_DRAIN_MS) runs out while answers still wait in a Slack
// channel's and a Teams conversation's lane (both platforms asked it to wait 5 s): every one of them
// is given up out loud — logged at error with its channel or conversation and the reason, counted as
// aoai_deliveries_total{outcome="dropped"} — and the process still stops. Nothing accepted vanishes
// with the process unsaid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import { FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned } from "../fakes/slack-request.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { personalMessage } from "../adapters/teams/activities.ts";

const CHANNEL = "C0DRAIN";
const CONVERSATION = "a:drain";
const WAITING = 4;
const DRAIN_MS = 300;

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let proc: BotProcess;
let events: string;
const log = captureLogger({ level: "warn" });

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  ({ proc, events } = await startSlackBot(slack, { AOAI_DRAIN_MS: String(DRAIN_MS) }, log.logger));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
  await connector.close();
});

const dropped = async (platform: string) => {
  const line = (await proc.metrics.registry.getSingleMetricAsString("aoai_deliveries_total")).split("\n").find((l) => l.startsWith(`aoai_deliveries_total{platform="${platform}",outcome="dropped"}`));
  return line === undefined ? 0 : Number(line.split(" ").pop());
};

describe("a drain that runs out with messages still queued", () => {
  it(`gives up each of the ${WAITING} answers waiting in a Slack channel's and in a Teams conversation's lane, logged with where and why, counted dropped`, async () => {
    // the first post is told to come back in 5 s: it and the answers behind it wait past the drain
    slack.fail("chat.postMessage", 1, 429, 5);
    const mentions = Array.from({ length: WAITING }, (_, i) => {
      const ts = `17644030${i}0.000100`;
      return sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> help", ts, channel: CHANNEL, event_ts: ts }, `EvDrain${i}`));
    });
    expect((await Promise.all(mentions)).map((r) => r.status)).toEqual(Array.from({ length: WAITING }, () => 200));
    connector.failIn(CONVERSATION, "POST", 429, { retryAfter: 5, type: "message" });
    // a Teams turn waits for its reply: these requests end when the process stops
    const turns = Array.from({ length: WAITING }, () => fetch(`http://127.0.0.1:${proc.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(personalMessage(connector.url, "help", { conversation: { id: CONVERSATION, conversationType: "personal" } })) }).catch(() => undefined));
    // every answer is in its lane (the first waiting out its Retry-After) before the stop begins
    await slack.waitFor(() => (log.entries().some((e) => e.msg === "slack: sending again after a wait") && log.entries().some((e) => e.msg === "teams: sending again after a wait") ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    const before = { slack: await dropped("slack"), teams: await dropped("teams") };

    await proc.shutdown();
    await Promise.all(turns);

    const teams = log.entries().filter((e) => e.level === "error" && e.conversation === CONVERSATION && typeof e.reason === "string");
    expect(teams.map((e) => e.what)).toEqual(Array.from({ length: WAITING }, () => "answer"));
    expect(teams.every((e) => e.msg === `teams: gave up on a message to conversation ${CONVERSATION}, not sent before the process stopped`)).toBe(true);
    expect((await dropped("teams")) - before.teams).toBe(WAITING);
    expect(connector.messages(CONVERSATION)).toEqual([]);

    const given = log.entries().filter((e) => e.level === "error" && e.channel === CHANNEL && typeof e.reason === "string");
    expect(given).toHaveLength(WAITING);
    for (const e of given) {
      expect(e.msg).toBe(`slack: gave up on a message to channel ${CHANNEL}, not sent before the process stopped`);
      expect(e.reason).toContain("AOAI_DRAIN_MS");
      expect(e.what).toBe("message");
    }
    expect((await dropped("slack")) - before.slack).toBe(WAITING);
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === CHANNEL)).toEqual([]);
  });
});
