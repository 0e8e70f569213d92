// The verdict through chat platform drivers: Slack DMs to a real bot process (the demo during its
// throttling hour, and Azure's fake with thresholds from aoai.config.yaml, so the configuration is
// seen to reach the bot), and the console at a quiet time.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROMPT, runConsole } from "../../src/adapters/console/console.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";
import { MIN, RESOURCE, trafficHandler, type Cell } from "../bot/verdict-traffic.ts";
import { visibleText } from "./visible-text.ts";

/** Inside the demo's daily gpt-4o-mini throttling (13:30–14:40 UTC). */
const BURST = new Date("2026-12-01T14:30:00Z");
const QUIET = new Date("2026-12-01T04:00:00Z");

const dir = mkdtempSync(join(tmpdir(), "aoai-verdict-scn-"));
let slack: FakeSlackApi;
let azure: FakeAzureMonitor;
const procs: BotProcess[] = [];
let n = 0;

async function start(config: Parameters<typeof startBotProcess>[0], options: Parameters<typeof startBotProcess>[1]): Promise<BotProcess> {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(dir, `${String(++n)}.sqlite`) };
  const p = await startBotProcess({ ...config, port: 0 }, { env, host: "127.0.0.1", runSchedules: false, ...options });
  procs.push(p);
  return p;
}

/** A DM to the bot; what the person reads in its answer. */
async function dm(proc: BotProcess, text: string): Promise<string> {
  const channel = `D${String(++n).padStart(5, "0")}`;
  await sendSigned(`http://127.0.0.1:${proc.server.port}/slack/events`, eventCallback({ type: "message", channel_type: "im", user: "U0001", text, ts: "1764400000.000100", channel }));
  const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === channel));
  return visibleText(post.args.blocks);
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  azure = await new FakeAzureMonitor().start();
});
afterAll(async () => {
  for (const p of procs) await p.stop();
  await azure.close();
  await slack.close();
});

describe("Slack, the demo during its throttling hour", () => {
  let proc: BotProcess;
  beforeAll(async () => {
    proc = await start(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: BURST });
  });

  it.each(["is anything wrong?", "anything on fire?", "how are we doing"])("%s names gpt-4o-mini and its throttle share first", async (text) => {
    const seen = await dm(proc, text);
    const lead = /⚠️ (gpt-4o[^\n]*)/.exec(seen)?.[1] ?? "";
    const share = /gpt-4o-mini: ([\d.]+) % of calls throttled \(([\d,]+) of ([\d,]+) answered 429\)/.exec(lead);
    expect(share).not.toBeNull();
    // ~40 % of gpt-4o-mini's calls are 429s in the burst; the counts behind the share give the share
    const [pct = 0, num = 0, den = 1] = [share?.[1], share?.[2], share?.[3]].map((s) => Number((s ?? "").replace(/,/g, "")));
    expect(pct).toBeGreaterThan(30);
    expect(pct).toBeLessThan(50);
    expect(pct).toBeCloseTo((num / den) * 100, 1);
    // gpt-4o-ptu is at 100 % too, but spills its overflow to gpt-4o instead of answering 429
    expect(lead).toMatch(/the other 3 deployments look normal\.$/);
  });

  it('"is gpt-4o-mini down?" says degraded (throttled), not down', async () => {
    const seen = await dm(proc, "is gpt-4o-mini down?");
    expect(seen).toMatch(/⚠️ gpt-4o-mini is degraded \(throttled\), not down: [\d.]+ % of calls throttled/);
    expect(seen).not.toMatch(/gpt-4o-mini is down/);
  });
});

describe("Slack, Azure with verdict thresholds from aoai.config.yaml", () => {
  it("judges with the configured thresholds", async () => {
    // 10 % of calls throttled: over the default 5 %, under a configured 20 %
    const cell = (_d: string, code: string): Cell => (code === "200" ? { calls: 90, ms: 1000 } : code === "429" ? { calls: 10, ms: 10 } : { calls: 0, ms: 0 });
    azure.handler = trafficHandler({ deployments: ["chat"], codes: ["200", "429"], cell, dataEnd: new Date(BURST.getTime() - 2 * MIN) });
    const options = { source: "azure" as const, now: BURST, httpClient: azure.httpClient(), credential: fakeCredential };
    const file = join(dir, "aoai.config.yaml");
    writeFileSync(file, `resources: [${RESOURCE}]\n`);
    const strict = await start(loadConfig({ file, env: {} }), options);
    expect(await dm(strict, "is anything wrong?")).toContain("⚠️ chat: 10 % of calls throttled (580 of 5,800 answered 429) in the last 1 h.");
    writeFileSync(file, `resources: [${RESOURCE}]\nverdict:\n  throttleRate: 20\n  errorRate: 20\n  successRate: 80\n`);
    const loose = await start(loadConfig({ file, env: {} }), options);
    expect(await dm(loose, "is anything wrong?")).toContain("🟢 chat looks normal in the last 1 h (throttled ≤ 20 %, errors ≤ 20 %, success rate ≥ 80 %");
  });
});

describe("console, the demo at a quiet time", () => {
  it("says every deployment looks normal", async () => {
    const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: QUIET });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
    const done = runConsole({ conversation: new Conversation(new Bot(source.service)), input, output });
    input.end("is anything wrong?\n");
    await done;
    expect(printed.split(PROMPT)[1]).toContain("🟢 All 4 deployments look normal in the last 1 h (throttled ≤ 5 %, errors ≤ 5 %, success rate ≥ 95 %, latency within +50 % of the previous hour).");
  });
});
