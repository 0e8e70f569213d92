// @mentions through the real Bolt app while Slack misbehaves: answers slower than the inline wait
// post "working…" first and edit it into the answer, so a failed edit is what a user notices most
// (the message says "working…" for ever). A 5xx or ok:false internal_error on that chat.update is
// sent again (an edit is harmless twice); a chart upload rate limited is waited out, one that meets a
// 5xx costs only the picture; a crowd of mentions, each delivered up to three times at
// once (X-Slack-Retry-Num), with 429s and 5xx lined up on chat.postMessage and chat.update, ends with
// every mention answered exactly once or its failure logged at error with its channel.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackPlatform } from "../../src/adapters/slack/platform.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { DEMO_RESOURCE_ID } from "../../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
/** Azure answers in 150 ms and the inline wait is 10 ms: every mention gets "working…" first, then the edit. */
const AZURE_LATENCY_MS = 150;
const CROWD = 60;

let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
const log = captureLogger({ level: "warn" });
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-mention-faults-")), "s.sqlite") };
  const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: [DEMO_RESOURCE_ID] };
  const credential = { getToken: () => Promise.resolve({ token: "test", expiresOnTimestamp: NOW.getTime() + 3_600_000 }) };
  proc = await startBotProcess(config, { env, host: "127.0.0.1", source: "azure", httpClient: simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW }), { latencyMs: AZURE_LATENCY_MS }), credential, now: NOW, runSchedules: false, inlineWaitMs: 10, logger: log.logger });
  events = `http://127.0.0.1:${proc.server.port}/slack/events`;
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

let n = 0;
function mentionIn(channel: string, text = "latency") {
  const ts = `17644020${String(n++).padStart(2, "0")}.000100`;
  return eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts, channel, event_ts: ts }, `EvFault${channel}`);
}
const working = (text: string) => text.startsWith("Working on");
/** What the channel shows now: its messages' texts, oldest first. */
const shown = (channel: string) => slack.messages(channel).map((m) => m.text);
const gaveUpIn = (channel: string) => log.entries().filter((e) => e.level === "error" && e.channel === channel);

describe("Slack mentions while chat.update, chat.postMessage and uploads fail", () => {
  // each its own question: an answer from the cache would come within the inline wait, posted with no edit
  it.each([
    ["HTTP 503", "latency last 2 hours", () => { slack.fail("chat.update", 1, 503); }],
    ["ok:false internal_error", "tokens last 6 hours", () => { slack.refuse("chat.update", "internal_error"); }],
  ])("a late answer still replaces 'working…' when its edit first meets %s (the edit goes again)", async (_what, question, fault) => {
    const channel = `C0EDIT${n}`;
    fault();
    expect((await sendSigned(events, mentionIn(channel, question))).status).toBe(200);
    await slack.waitFor(() => (slack.posts("chat.update").some((c) => c.args.channel === channel) ? true : undefined), 10_000);
    expect(slack.failed.filter((f) => f.method === "chat.update" && f.args.channel === channel)).toHaveLength(1);
    const texts = shown(channel);
    expect(texts).toHaveLength(1);
    expect(working(texts[0] ?? "")).toBe(false);
    expect(texts[0]).toMatch(new RegExp(question.split(" ")[0] ?? "", "i"));
    expect(gaveUpIn(channel)).toEqual([]);
  });

  it("a chart upload Slack rate limits (files.completeUploadExternal 429) is waited out and shared once beside the answer", async () => {
    const channel = `C0UPL${n}`;
    // the earlier tests' pictures are out, so the failure is this upload's
    await proc.adapter(slackPlatform)?.sender.idle();
    slack.fail("files.completeUploadExternal", 1, 429, 1);
    expect((await sendSigned(events, mentionIn(channel, "latency last 8 hours"))).status).toBe(200);
    await slack.waitFor(() => (slack.sharedFiles().some((f) => f.channel === channel) ? true : undefined), 15_000);
    expect(slack.failed.filter((f) => f.method === "files.completeUploadExternal" && f.args.channel_id === channel)).toHaveLength(1);
    expect(slack.sharedFiles().filter((f) => f.channel === channel)).toHaveLength(1);
    expect(shown(channel).filter((t) => !working(t))).toHaveLength(1);
    expect(gaveUpIn(channel)).toEqual([]);
  });

  it("a chart upload that meets a 5xx (files.completeUploadExternal 503) costs only the picture: logged, the answer stays, one message", async () => {
    const channel = `C0UPF${n}`;
    await proc.adapter(slackPlatform)?.sender.idle();
    slack.fail("files.completeUploadExternal", 1, 503, 0);
    expect((await sendSigned(events, mentionIn(channel, "latency last 9 hours"))).status).toBe(200);
    await slack.waitFor(() => (log.entries().some((e) => e.channel === channel && e.msg.startsWith("could not upload the chart picture")) ? true : undefined), 15_000);
    const texts = shown(channel);
    expect(texts).toHaveLength(1);
    expect(working(texts[0] ?? "")).toBe(false);
    expect(slack.failed.filter((f) => f.method === "files.completeUploadExternal" && f.args.channel_id === channel)).toHaveLength(1);
    expect(slack.sharedFiles().filter((f) => f.channel === channel)).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it(`answers a crowd of ${CROWD} mentions, each delivered up to 3 times at once, through 429s and 5xx: once each, or a give-up logged with its channel`, async () => {
    const channels = Array.from({ length: CROWD }, (_, i) => `C0CROWD${i}`);
    const questions = ["latency", "429s", "tokens by deployment 7d", "errors last hour", "p95 latency gpt-4o"];
    const deliveries: Promise<number>[] = [];
    for (const [i, channel] of channels.entries()) {
      const event = mentionIn(channel, questions[i % questions.length]);
      for (let copy = 0; copy < 1 + (i % 3); copy++) deliveries.push(sendSigned(events, copy === 0 ? event : { ...event, headers: { "x-slack-retry-num": String(copy), "x-slack-retry-reason": "http_timeout" } }).then((r) => r.status));
      // Slack pushing back while the crowd is being answered: 429s on posts and edits, a 503 on a post or an edit now and then
      if (i % 6 === 0) slack.fail("chat.postMessage", 2, 429, 1);
      if (i % 6 === 2) slack.fail("chat.update", 1, i % 12 === 2 ? 503 : 429, 1);
      if (i % 20 === 4) slack.fail("chat.postMessage", 1, 502);
    }
    expect((await Promise.all(deliveries)).every((s) => s === 200)).toBe(true);
    const settled = (channel: string) => gaveUpIn(channel).length > 0 || shown(channel).some((t) => !working(t));
    await slack.waitFor(() => (channels.every(settled) ? true : undefined), 40_000);
    await proc.adapter(slackPlatform)?.sender.idle();
    for (const channel of channels) {
      const texts = shown(channel);
      // one message: the answer (or "working…" replaced by it); none at all only with its give-up logged
      expect({ channel, messages: texts.length }).toEqual({ channel, messages: texts.length === 0 && gaveUpIn(channel).length > 0 ? 0 : 1 });
      if (texts.length === 1 && gaveUpIn(channel).length === 0) expect({ channel, working: working(texts[0] ?? "") }).toEqual({ channel, working: false });
    }
    expect(unhandled).toEqual([]);
  }, 60_000);
});
