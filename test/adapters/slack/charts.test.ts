// Charts in Slack end to end: real Bolt (HTTP mode) and the real WebClient against the loopback
// Slack fake. A mentioned question is acknowledged at once, the answer is posted in its thread, and
// the chart's PNG follows into that thread; drawing the picture never delays the acknowledgement
// or the answer. `slack.charts: native` puts a data_visualization block in the answer instead. The
// golden of a chart answer as Slack gets it is kept here.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChartPng, type ChartPictureOptions } from "../../../src/adapters/chart-png.ts";
import { chartAltText, chartFilename, SlackCharts } from "../../../src/adapters/slack/chart-upload.ts";
import type { SlackChartMode } from "../../../src/adapters/slack/chart-mode.ts";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { composeReply } from "../../../src/bot/compose.ts";
import { silentLogger } from "../../../src/log/logger.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../../fakes/slack-request.ts";
import { demoBot } from "../../scenarios/golden-questions.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const QUESTION = "latency by deployment last 24h";
let slack: FakeSlackApi;
const procs: BotProcess[] = [];
let n = 0;

async function start(charts: ChartPictureOptions = {}, mode?: SlackChartMode): Promise<string> {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-slack-charts-")), "s.sqlite") };
  const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, timezone: "Europe/Berlin", ...(mode ? { slackCharts: mode } : {}) };
  const p = await startBotProcess(config, { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false, charts, logger: silentLogger });
  procs.push(p);
  const events = `http://127.0.0.1:${p.server.port}/slack/events`;
  // the first request of a process pays for auth.test and warm-up: not what the tests measure
  const warm = await mention(events, "help");
  await slack.waitFor(() => slack.messages(warm.channel)[0]);
  return events;
}

/** Mentions the bot in a fresh channel; the thread is the mention's ts. */
async function mention(events: string, text: string): Promise<{ channel: string; thread: string; ackMs: number }> {
  const channel = `CCH${String(++n).padStart(3, "0")}`;
  const thread = `1764401${String(n).padStart(3, "0")}.000100`;
  const res = await sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: thread, channel, event_ts: thread }));
  expect(res.status).toBe(200);
  return { channel, thread, ackMs: res.ms };
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  await slack.close();
});

describe("a chart answer in Slack (png)", () => {
  it("is acknowledged at once, posted in the thread, and followed by its PNG in the same thread, without the picture delaying either", async () => {
    // a picture that takes a second and a half to draw
    const slow: ChartPictureOptions = { render: async (chart) => { await new Promise((r) => setTimeout(r, 1_500)); return renderChartPng(chart); } };
    const { channel, thread, ackMs } = await mention(await start(slow), QUESTION);
    expect(ackMs).toBeLessThan(1_000);
    const answer = await slack.waitFor(() => slack.messages(channel).find((m) => m.threadTs === thread && JSON.stringify(m.blocks).includes("Time to response")));
    const postedAt = slack.posts("chat.postMessage").find((c) => c.args.channel === channel && c.result.ts === answer.ts)?.at ?? 0;
    const file = await slack.waitFor(() => slack.sharedFiles().find((f) => f.channel === channel));
    expect(file).toMatchObject({ threadTs: thread, title: "Time to response (successful calls) by deployment", filename: "time-to-response-successful-calls-by-deployment.png" });
    expect(file.bytes?.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(file.bytes?.length).toBeLessThanOrEqual(1024 * 1024);
    const asked = slack.calls.find((c) => c.method === "files.getUploadURLExternal" && c.args.filename === file.filename);
    expect(String(asked?.args.alt_text)).toMatch(/^Time to response \(successful calls\) by deployment\. Sat 28 Nov 11:00 – Sun 29 Nov 11:00 Europe\/Berlin · AzureOpenAITimeToResponse · Average/);
    // the answer went out before the picture was asked for
    expect(postedAt).toBeLessThan(asked?.at ?? 0);
    expect(slack.messages(channel)).toHaveLength(1);
  });

  it("still answers, without a picture, when drawing fails", async () => {
    const { channel } = await mention(await start({ render: () => Promise.reject(new Error("no usable font")) }), QUESTION);
    await slack.waitFor(() => slack.messages(channel).find((m) => JSON.stringify(m.blocks).includes("Time to response")));
    // the sender's flow is over once the process is idle: give it the budget's worth
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.sharedFiles().filter((f) => f.channel === channel)).toEqual([]);
  });
});

describe("a chart answer in Slack (native)", () => {
  it("carries a data_visualization block, and no file", async () => {
    const { channel } = await mention(await start({}, "native"), QUESTION);
    const answer = await slack.waitFor(() => slack.messages(channel).find((m) => JSON.stringify(m.blocks).includes("Time to response")));
    const block = (answer.blocks as { type: string; chart?: { type: string; series: unknown[] } }[]).find((b) => b.type === "data_visualization");
    expect(block?.chart?.type).toBe("line");
    expect(block?.chart?.series.length).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.sharedFiles().filter((f) => f.channel === channel)).toEqual([]);
  });
});

describe("the golden chart answer in Slack", () => {
  it("matches: the blocks with the native chart where it goes, and the picture uploaded in png mode", async () => {
    const message = renderBlockKit(composeReply(await demoBot(NOW).ask(QUESTION), QUESTION));
    const native = new SlackCharts({ mode: "native" }, silentLogger).native(message);
    const blocks = native ? [...message.blocks.slice(0, native.at), ...native.blocks, ...message.blocks.slice(native.at)] : message.blocks;
    const pictures = (message.charts ?? []).map((c, i) => ({ filename: chartFilename(c, i), title: c.title, alt_text: chartAltText(c) }));
    await expect(JSON.stringify({ text: message.text, native: blocks, png: { blocks: message.blocks.length, pictures } }, null, 2)).toMatchFileSnapshot("__golden__/chart-answer.json");
  });
});
