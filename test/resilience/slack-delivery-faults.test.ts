// Slack failing the bot's interactive deliveries (5xx and ok:false on chat.postMessage and chat.update;
// 429 pacing and the queues themselves are tested with the senders): the failure is logged for the
// operator, never an unhandled rejection, the process keeps serving, an idempotent edit is retried
// until it lands once, and the next question is answered as usual.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned } from "../fakes/slack-request.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
let base: string;
let n = 0;
const log = captureLogger({ level: "warn" });
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events, base } = await startSlackBot(slack, {}, log.logger));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

const ts = () => `17644009${String(n++).padStart(2, "0")}.000100`;
const mention = (channel: string) => {
  const at = ts();
  return sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: at, channel, event_ts: at }));
};
const postsIn = (channel: string) => slack.posts("chat.postMessage").filter((c) => c.args.channel === channel);
const settle = () => new Promise((r) => setTimeout(r, 300));

async function stillServing(channel: string): Promise<void> {
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const before = postsIn(channel).length;
  await mention(channel);
  await slack.waitFor(() => (postsIn(channel).length > before ? true : undefined));
  expect(unhandled).toEqual([]);
}

describe("Slack failing interactive deliveries", () => {
  it.each([[500], [503]])("chat.postMessage answering %i: logged, not replayed blindly, and the next answer goes out", async (status) => {
    const channel = `C0PF${status}`;
    slack.fail("chat.postMessage", 1, status);
    expect((await mention(channel)).status).toBe(200);
    await slack.waitFor(() => (log.entries().some((e) => e.level === "error" && JSON.stringify(e).includes(String(status))) ? true : undefined));
    await settle();
    // a 5xx on a new post may have posted it: never sent twice
    expect(postsIn(channel).length).toBeLessThanOrEqual(1);
    await stillServing(channel);
  });

  it.each(["channel_not_found", "not_in_channel", "msg_too_long", "internal_error"])("chat.postMessage refused with ok:false %s: logged with Slack's error, and the next answer goes out", async (error) => {
    const channel = `C0OK${error.length}${n}`;
    slack.refuse("chat.postMessage", error);
    expect((await mention(channel)).status).toBe(200);
    await slack.waitFor(() => (log.entries().some((e) => JSON.stringify(e).includes(error)) ? true : undefined));
    await stillServing(channel);
  });

  it("chat.update failing with 503: at most one edit lands, the failure is logged, and the process keeps serving", async () => {
    const channel = "C0UPD";
    slack.fail("chat.update", 1, 503);
    const value = JSON.stringify({ kind: "window", text: "latency", minutes: 1440 });
    const message = ts();
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: channel }, container: { type: "message", message_ts: message, channel_id: channel, is_ephemeral: false }, message: { ts: message, text: "x" }, response_url: `${slack.url}/hooks/upd`, actions: [{ type: "button", action_id: "aoai_window_1440", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    await slack.waitFor(() => (slack.posts("chat.update").some((c) => c.args.channel === channel) || log.entries().some((e) => e.level === "error" && JSON.stringify(e).includes("503")) ? true : undefined), 10_000);
    await settle();
    expect(slack.posts("chat.update").filter((c) => c.args.channel === channel).length).toBeLessThanOrEqual(1);
    await stillServing(channel);
  });

  it("chat.update refused with ok:false message_not_found: logged, and the process keeps serving", async () => {
    const channel = "C0UPDNF";
    slack.refuse("chat.update", "message_not_found");
    const value = JSON.stringify({ kind: "split", text: "latency" });
    const message = ts();
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: channel }, container: { type: "message", message_ts: message, channel_id: channel, is_ephemeral: false }, message: { ts: message, text: "x" }, response_url: `${slack.url}/hooks/updnf`, actions: [{ type: "button", action_id: "aoai_split", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    await slack.waitFor(() => (log.entries().some((e) => JSON.stringify(e).includes("message_not_found")) ? true : undefined));
    await stillServing(channel);
  });
});
