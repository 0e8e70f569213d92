// Messages to Slack through the one SlackSender, the real WebClient (configured as slack-app.ts does:
// it never retries on its own) and the loopback Slack fake answering 429s and 5xx: each channel gets
// its messages in order and once, a 429's Retry-After is waited out before that channel hears from
// the bot again, edits of one message waiting together become one, and nothing fails unseen.
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Delivery } from "../../../src/adapters/delivery-observer.ts";
import { OutboundQueueFullError } from "../../../src/adapters/outbound-queue.ts";
import { boltLogger } from "../../../src/adapters/slack/bolt-logger.ts";
import { SlackSender, type SlackLanes } from "../../../src/adapters/slack/sender.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { DeliveryUncertainError } from "../../../src/schedules/delivery-errors.ts";
import { slackPlatform } from "../../../src/adapters/slack/platform.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { captureLogger } from "../../support/capture-logger.ts";
import { startSlackBot } from "./slack-bot.ts";

let slack: FakeSlackApi;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** Slack's pace shortened (50 ms a message, bursts of 2), so a test sends dozens in well under a second. */
function sender(lanes: SlackLanes = {}) {
  const log = captureLogger();
  const observed: Delivery[] = [];
  const client = new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5_000, logger: boltLogger(silentLogger) });
  const s = new SlackSender(client, { maxAttempts: 3, budgetMs: 5_000, baseDelayMs: 10, maxDelayMs: 50 }, log.logger, undefined, (d) => observed.push(d), { pacing: { intervalMs: 50, burst: 2 }, ...lanes });
  return { s, log, observed, errors: () => log.entries().filter((e) => e.level === "error") };
}
const texts = (channel: string) => slack.messages(channel).map((m) => m.text);
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

/** The first call Slack carried out in `channel` after the failed one, and how long after it came. */
function nextAfter(failed: { at: number; args: Record<string, unknown> }, method: string): number {
  const next = slack.calls.find((c) => c.method === method && c.args.channel === failed.args.channel && c.at >= failed.at);
  if (!next) throw new Error(`nothing was sent to ${String(failed.args.channel)} after the 429`);
  return next.at - failed.at;
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await slack.close();
});

describe("Slack's outbound lanes", () => {
  it("posts every message of a burst to two channels in order and once, waiting out each 429's Retry-After in that channel", async () => {
    const { s, observed, errors } = sender();
    // the first two posts Slack sees (one per channel) are rate limited with Retry-After: 1
    slack.fail("chat.postMessage", 2, 429, 1);
    const sends = [...numbered("ops", 10).map((t) => s.post("C0LANE1", { text: t, blocks: [] })), ...numbered("sre", 10).map((t) => s.post("C0LANE2", { text: t, blocks: [] }))];
    await Promise.all(sends);
    expect(texts("C0LANE1")).toEqual(numbered("ops", 10));
    expect(texts("C0LANE2")).toEqual(numbered("sre", 10));
    const limited = slack.failed.filter((f) => f.method === "chat.postMessage");
    expect(limited.map((f) => f.args.channel).sort()).toEqual(["C0LANE1", "C0LANE2"]);
    // nothing reached a rate-limited channel before its Retry-After was over
    for (const f of limited) expect(nextAfter(f, "chat.postMessage")).toBeGreaterThanOrEqual(995);
    expect(observed.filter((d) => d.outcome === "rate_limited")).toHaveLength(2);
    expect(observed.filter((d) => d.outcome === "delivered")).toHaveLength(20);
    expect(errors()).toEqual([]);
  });

  it("never posts again a message a 5xx may have posted: it is said at error with its channel and counted dropped, the others follow in order", async () => {
    const { s, observed, errors } = sender();
    await s.post("C0FLAKY", { text: "one", blocks: [] });
    slack.fail("chat.postMessage", 1, 503, 0);
    // "two" meets the 503
    const rest = ["two", "three"].map((t) => s.post("C0FLAKY", { text: t, blocks: [] }));
    await expect(rest[0]).rejects.toBeInstanceOf(DeliveryUncertainError);
    await rest[1];
    expect(texts("C0FLAKY")).toEqual(["one", "three"]);
    expect(slack.failed.filter((f) => f.args.channel === "C0FLAKY")).toHaveLength(1);
    expect(errors()).toEqual([expect.objectContaining({ channel: "C0FLAKY", what: "message", msg: "slack: gave up on a message to channel C0FLAKY" })]);
    expect(observed.filter((d) => d.outcome === "dropped")).toHaveLength(1);
  });

  it("sends only the latest of the edits of one message that wait behind a 429, and the channel shows it", async () => {
    const { s } = sender();
    const working = await s.post("C0EDITS", { text: "⏳ Working…", blocks: [] });
    slack.fail("chat.update", 1, 429, 1);
    const edits = numbered("progress", 5).map((t) => s.update("C0EDITS", working.ts, { text: t, blocks: [] }));
    await Promise.all(edits);
    // the first edit met the 429; while the channel waited, each newer edit replaced the one waiting
    const updates = slack.posts("chat.update").filter((c) => c.args.ts === working.ts);
    expect(updates.map((c) => c.args.text)).toEqual(["progress 5"]);
    expect(texts("C0EDITS")).toEqual(["progress 5"]);
    expect(nextAfter(slack.failed.find((f) => f.method === "chat.update")!, "chat.update")).toBeGreaterThanOrEqual(995);
  });

  it("refuses what a full channel lane can't hold, saying so, and still delivers everything it accepted", async () => {
    const { s, observed, errors } = sender({ maxWaiting: 3 });
    slack.fail("chat.postMessage", 1, 429, 1);
    const sends = numbered("flood", 6).map((t) => s.post("C0FLOOD", { text: t, blocks: [] }));
    const outcomes = await Promise.allSettled(sends);
    // one being sent and three waiting were accepted; the fifth and sixth found the lane full
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
    for (const o of outcomes.slice(4)) expect(o.status === "rejected" && o.reason instanceof OutboundQueueFullError).toBe(true);
    expect(texts("C0FLOOD")).toEqual(numbered("flood", 4));
    expect(errors().map((e) => e.channel)).toEqual(["C0FLOOD", "C0FLOOD"]);
    expect(observed.filter((d) => d.outcome === "dropped")).toHaveLength(2);
  });

  it("is idle only once a message and the file that follows it are both in the channel", async () => {
    const { s } = sender();
    slack.fail("chat.postMessage", 1, 429, 1);
    const posting = s.post("C0IDLE", { text: "answer", blocks: [], attachment: { filename: "rows.csv", csv: "a,b\n1,2\n", title: "rows", rows: 1 } });
    await s.idle();
    expect(texts("C0IDLE")).toEqual(["answer"]);
    expect(slack.sharedFiles().filter((f) => f.channel === "C0IDLE").map((f) => f.filename)).toEqual(["rows.csv"]);
    await posting;
  });

  it("makes a stopping bot process send what waits in a channel's lane before it closes", async () => {
    const { proc } = await startSlackBot(slack, {}, captureLogger().logger);
    const sender = proc.adapter(slackPlatform)?.sender;
    if (!sender) throw new Error("Slack did not start");
    slack.fail("chat.postMessage", 1, 429, 1);
    const sends = numbered("last words", 3).map((t) => sender.post("C0DRAINQ", { text: t, blocks: [] }));
    await proc.stop();
    // the Retry-After (1 s) was waited out inside the stop, and nothing was lost
    expect(texts("C0DRAINQ")).toEqual(numbered("last words", 3));
    await Promise.all(sends);
  });

  it("let no failure above escape as an unhandled rejection (the process stays up)", () => {
    expect(unhandled).toEqual([]);
  });
});
