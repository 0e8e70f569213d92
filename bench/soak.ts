// `npm run soak`: SOAK_MINUTES (default 10) of mixed traffic against a bot process while its
// surroundings fail at random — Azure Monitor 429 (with and without Retry-After), 500, slow
// answers past the timeout; Slack 429 and 5xx on chat.postMessage/chat.update; Teams connector
// 429/5xx; retried Slack deliveries. (On SQLite the store has no network to stall; on PostgreSQL
// the resilience tests stall it through test/fakes/tcp-proxy.ts.) At the end: every question got
// exactly one answer or one error, no unhandled rejection, memory flat (RSS after a full
// collection, end vs after warm-up, within 10 %). Exit 1 when any of that does not hold.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { startBotProcess } from "../src/app/bot-process.ts";
import { createLogger, setSharedLogger } from "../src/log/pino-logger.ts";
import { loadConfig } from "../src/app/config.ts";
import { EXAMPLES } from "../src/bot/examples.ts";
import { DEMO_RESOURCE_ID } from "../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../src/demo/simulator.ts";
import { FakeBotConnector } from "../test/fakes/bot-connector.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned, SIGNING_SECRET, slashCommand } from "../test/fakes/slack-request.ts";
import { personalMessage } from "../test/adapters/teams/activities.ts";
import { settle } from "./slack-load.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? "10");
/** Questions per second across all surfaces. */
const RATE = Number(process.env.SOAK_RATE ?? "8");
const WARM_UP_MS = Math.min(60_000, MINUTES * 60_000 * 0.2);
const QUERY_TIMEOUT_MS = 2_000;

/**
 * The bot's log, read instead of printed: a delivery the bot gave up on and said so (a Teams 5xx
 * may have landed, so it is not sent twice) is that question's one error.
 */
const saidGaveUp = new Set<string>();
const logged = { warn: 0, error: 0 };
setSharedLogger(
  createLogger({
    level: "warn",
    destination: {
      write(line: string) {
        const entry = JSON.parse(line) as { level?: string; conversation?: unknown; msg?: string };
        if (entry.level === "warn" || entry.level === "error") logged[entry.level]++;
        if (typeof entry.conversation === "string" && entry.msg?.includes("gave up")) saidGaveUp.add(entry.conversation);
      },
    },
  }),
);
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const rssAfterGc = () => {
  gc();
  return process.memoryUsage().rss / 1024 / 1024;
};

const rejections: unknown[] = [];
process.on("unhandledRejection", (reason) => rejections.push(reason));
process.on("uncaughtException", (err) => rejections.push(err));

/** Random faults in front of the simulator: what Azure Monitor does on a bad day. */
const faults = { throttled: 0, failed: 0, slow: 0, served: 0 };
function faultyAzure(): HttpClient {
  const inner = simulatorHttpClient(new SimulatedAzureMonitor({ now: () => new Date() }), { latencyMs: 30 });
  const error = (request: PipelineRequest, status: number, code: string, headers: Record<string, string> = {}): PipelineResponse => ({
    request,
    status,
    headers: createHttpHeaders({ "content-type": "application/json", "x-ms-request-id": `soak-${faults.served}`, ...headers }),
    bodyAsText: JSON.stringify({ error: { code, message: `soak fault ${status}` } }),
  });
  return {
    async sendRequest(request) {
      faults.served++;
      const r = Math.random();
      if (r < 0.04) {
        faults.throttled++;
        return error(request, 429, "TooManyRequests", Math.random() < 0.5 ? { "retry-after": "1" } : {});
      }
      if (r < 0.07) {
        faults.failed++;
        return error(request, 500, "InternalServerError");
      }
      if (r < 0.09) {
        faults.slow++;
        await new Promise((resolve) => setTimeout(resolve, QUERY_TIMEOUT_MS + 500));
      }
      return inner.sendRequest(request);
    },
  };
}

const slack = await new FakeSlackApi().start();
const connector = await new FakeBotConnector().start();
const env = { SLACK_BOT_TOKEN: "xoxb-soak", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-soak-")), "s.sqlite"), PLAYGROUND: "0" };
const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: [DEMO_RESOURCE_ID], queryTimeoutMs: QUERY_TIMEOUT_MS };
const credential = { getToken: () => Promise.resolve({ token: "soak", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const proc = await startBotProcess(config, { env, host: "127.0.0.1", source: "azure", httpClient: faultyAzure(), credential, runSchedules: false });
const base = `http://127.0.0.1:${proc.server.port}`;

type Surface = "slack-command" | "slack-mention" | "slack-button" | "teams" | "console";
interface Asked {
  readonly surface: Surface;
  readonly id: string;
  readonly at: number;
  /** Answers (or errors) seen for it; exactly 1 is right. */
  delivered: () => number;
}
const asked: Asked[] = [];
let n = 0;
const question = () => EXAMPLES[Math.floor(Math.random() * EXAMPLES.length)] ?? "latency";
const postJson = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.status);
const retried = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
/** Deliveries seen per hook, Slack channel and Teams conversation; the fakes' own records are emptied into it so the soak's memory stays the bot's. */
const deliveries = new Map<string, number>();
function tally(): void {
  const add = (key: string) => deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
  for (const r of slack.responses.splice(0)) add(r.path);
  for (const c of slack.calls.splice(0)) if (c.method === "chat.postMessage") add(`slack:${String(c.args.channel)}`);
  for (const c of connector.calls.splice(0)) if (c.method === "POST" && c.body.type === "message") add(`teams:${c.conversationId}`);
}
const count = (key: string) => () => deliveries.get(key) ?? 0;
const hookCount = count;
const sent: Promise<unknown>[] = [];
const consoleAnswers = new Map<string, number>();

/** One question on a random surface; a fifth of the Slack deliveries are delivered twice (Slack's retry). */
function ask(): void {
  const id = `q${++n}`;
  const text = question();
  const at = Date.now();
  const kind = Math.random();
  const twice = Math.random() < 0.2;
  if (kind < 0.3) {
    const hook = `/hooks/${id}`;
    const cmd = slashCommand(text, { response_url: `${slack.url}${hook}`, trigger_id: `trig-${id}` });
    sent.push(sendSigned(`${base}/slack/events`, cmd).then(() => (twice ? sendSigned(`${base}/slack/events`, { ...cmd, headers: retried }) : undefined)));
    asked.push({ surface: "slack-command", id, at, delivered: hookCount(hook) });
  } else if (kind < 0.5) {
    const channel = `C${id.toUpperCase()}`;
    const ev = eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts: `${Math.floor(at / 1000)}.${n}`, channel, event_ts: `${Math.floor(at / 1000)}.${n}` }, `Ev${id}`);
    sent.push(sendSigned(`${base}/slack/events`, ev).then(() => (twice ? sendSigned(`${base}/slack/events`, { ...ev, headers: retried }) : undefined)));
    asked.push({ surface: "slack-mention", id, at, delivered: count(`slack:${channel}`) });
  } else if (kind < 0.6) {
    const hook = `/hooks/${id}`;
    const value = JSON.stringify({ kind: "share", text });
    sent.push(sendSigned(`${base}/slack/events`, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0001" }, container: { type: "message", message_ts: "1", channel_id: "C0001", is_ephemeral: true }, response_url: `${slack.url}${hook}`, actions: [{ type: "button", action_id: "aoai_share", block_id: "aoai_follow_up", value, action_ts: "1" }] })));
    asked.push({ surface: "slack-button", id, at, delivered: hookCount(hook) });
  } else if (kind < 0.85) {
    const conversation = `a:soak-${id}`;
    sent.push(postJson(`${base}/api/messages`, personalMessage(connector.url, text, { conversation: { id: conversation, conversationType: "personal", tenantId: "11111111-2222-3333-4444-555555555555" } })));
    asked.push({ surface: "teams", id, at, delivered: () => (deliveries.get(`teams:${conversation}`) ?? 0) + (saidGaveUp.has(conversation) ? 1 : 0) });
  } else {
    consoleAnswers.set(id, 0);
    sent.push(proc.conversation.say(text, { platform: "console", channel: `console-${id}` }).then(() => consoleAnswers.set(id, (consoleAnswers.get(id) ?? 0) + 1)));
    asked.push({ surface: "console", id, at, delivered: () => consoleAnswers.get(id) ?? 0 });
  }
}

/** Slack and Teams push back now and then. */
function platformFault(): void {
  const r = Math.random();
  if (r < 0.4) slack.fail("chat.postMessage", 1, 429, 1);
  else if (r < 0.6) slack.fail("chat.update", 1, 503, 1);
  else if (r < 0.8) connector.fail("POST", 429, 1);
  else connector.fail("POST", 502);
}

const started = Date.now();
const until = started + MINUTES * 60_000;
let warmRss: number | undefined;
const every = 1000 / RATE;
let platformFaults = 0;
/** RSS after a collection, every 30 s: the trend, not just the two ends. */
const rssEvery30s: number[] = [];
let nextSample = started + 30_000;
while (Date.now() < until) {
  if (Date.now() >= nextSample) {
    rssEvery30s.push(Math.round(rssAfterGc()));
    nextSample += 30_000;
  }
  ask();
  if (Math.random() < 0.05) {
    platformFault();
    platformFaults++;
  }
  if (n % 50 === 0) tally();
  if (warmRss === undefined && Date.now() - started >= WARM_UP_MS) warmRss = rssAfterGc();
  await settle(every * (0.5 + Math.random()));
}
await Promise.allSettled(sent);

// every answer has had its chance: Azure's retries and timeouts, Slack's and Teams' Retry-After
const deadline = Date.now() + 60_000;
while (Date.now() < deadline && asked.some((a) => a.delivered() < 1)) {
  await settle(500);
  tally();
}
await settle(3_000);
tally();
const endRss = rssAfterGc();

const missing = asked.filter((a) => a.delivered() === 0);
const doubled = asked.filter((a) => a.delivered() > 1);
const bySurface = new Map<Surface, number>();
for (const a of asked) bySurface.set(a.surface, (bySurface.get(a.surface) ?? 0) + 1);
const growth = warmRss === undefined ? NaN : (endRss - warmRss) / warmRss;

console.log(`soak: ${MINUTES} min, ${asked.length} questions (${[...bySurface].map(([s, c]) => `${s} ${c}`).join(", ")})`);
console.log(`faults: Azure ${faults.throttled} × 429, ${faults.failed} × 500, ${faults.slow} slow (past the ${QUERY_TIMEOUT_MS} ms timeout) of ${faults.served} requests; ${platformFaults} Slack/Teams 429/5xx; ~20 % of Slack deliveries retried`);
console.log(`answers: ${asked.length - missing.length - doubled.length} exactly once (${saidGaveUp.size} of them a delivery the bot gave up on and logged), ${missing.length} missing, ${doubled.length} more than once; unhandled rejections/exceptions: ${rejections.length}; bot log: ${logged.warn} warnings, ${logged.error} errors`);
console.log(`memory: RSS after warm-up ${warmRss?.toFixed(0) ?? "?"} MiB, at the end ${endRss.toFixed(0)} MiB (${(growth * 100).toFixed(1)} %); every 30 s: ${rssEvery30s.join(", ")} MiB; heap used at the end ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`);
for (const a of [...missing, ...doubled].slice(0, 10)) console.log(`  ${a.surface} ${a.id}: ${a.delivered()} deliveries`);
for (const r of rejections.slice(0, 5)) console.log("  unhandled:", r);

await proc.stop();
await slack.close();
await connector.close();
const ok = missing.length === 0 && doubled.length === 0 && rejections.length === 0 && Math.abs(growth) <= 0.1;
console.log(ok ? "soak passed" : "soak FAILED");
process.exit(ok ? 0 : 1);
