// `npm run soak`: SOAK_MINUTES (default 10) of mixed traffic against a bot process while its
// surroundings fail at random — Azure Monitor 429 (with and without Retry-After), 500, slow
// answers past the timeout; Slack 429 and 5xx on posts, edits and chart uploads; Teams connector
// 429/5xx on replies and edits; Slack and Teams deliveries sent twice, and again when one got no
// 200, as the platforms do. (On SQLite the store has no network to stall; on PostgreSQL the
// resilience tests stall it through test/fakes/tcp-proxy.ts.) At the end: every question got
// exactly one answer people see (a "working…" counts once edited into the answer) or one give-up
// logged at error with its channel/conversation, no unhandled rejection, and memory flat: RSS and
// the JS heap, each taken the same way after the warm-up and at the end (everything answered, 5 s
// quiet, a full collection), within 10 %. Exit 1 when any of that does not hold; the bot's
// warnings and errors are kept in a file named at the end.
import { createWriteStream, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { startBotProcess } from "../src/app/bot-process.ts";
import { chartRendererRss } from "../src/adapters/chart-png.ts";
import { createLogger, setSharedLogger } from "../src/log/pino-logger.ts";
import { loadConfig } from "../src/app/config.ts";
import { EXAMPLES } from "../src/bot/examples.ts";
import { DEMO_RESOURCE_ID } from "../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../src/demo/simulator.ts";
import { FakeBotConnector } from "../test/fakes/bot-connector.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned, SIGNING_SECRET, slashCommand, type SignedRequest } from "../test/fakes/slack-request.ts";
import { personalMessage } from "../test/adapters/teams/activities.ts";
import { settle } from "./slack-load.ts";

const MINUTES = Number(process.env.SOAK_MINUTES ?? "10");
/** Questions per second across all surfaces. */
const RATE = Number(process.env.SOAK_RATE ?? "8");
const WARM_UP_MS = Math.min(60_000, MINUTES * 60_000 * 0.25);
const QUERY_TIMEOUT_MS = 2_000;

/**
 * The bot's log, read instead of printed: a delivery the bot gave up on and said so (a Teams 5xx
 * may have landed, so it is not sent twice) is that question's one error.
 */
const saidGaveUp = new Set<string>();
const logged = { warn: 0, error: 0 };
const workDir = mkdtempSync(join(tmpdir(), "aoai-soak-"));
const logFile = join(workDir, "bot.log");
const logOut = createWriteStream(logFile);
setSharedLogger(
  createLogger({
    level: process.env.SOAK_LOG_LEVEL ?? "warn",
    destination: {
      write(line: string) {
        if (!logOut.writableEnded) logOut.write(line);
        const entry = JSON.parse(line) as { level?: string; conversation?: unknown; channel?: unknown; msg?: string };
        if (entry.level === "warn" || entry.level === "error") logged[entry.level]++;
        // the outbound lanes name the Teams conversation or Slack channel they gave up on
        const place = entry.conversation ?? entry.channel;
        if (typeof place === "string" && entry.msg?.includes("gave up")) saidGaveUp.add(place);
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
const env = { SLACK_BOT_TOKEN: "xoxb-soak", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(workDir, "s.sqlite"), PLAYGROUND: "0" };
const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: [DEMO_RESOURCE_ID], queryTimeoutMs: QUERY_TIMEOUT_MS };
const credential = { getToken: () => Promise.resolve({ token: "soak", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const proc = await startBotProcess(config, { env, host: "127.0.0.1", source: "azure", httpClient: faultyAzure(), credential, runSchedules: false });
const base = `http://127.0.0.1:${proc.server.port}`;

type Surface = "slack-command" | "slack-mention" | "slack-button" | "teams" | "console";
interface Asked {
  readonly surface: Surface;
  readonly id: string;
  readonly at: number;
  /** Answers (or logged give-ups) seen for it; exactly 1 is right. */
  delivered: () => number;
  /** Where its answers are counted, and the channel or conversation a give-up names. */
  readonly key?: string;
  readonly place?: string;
}
const asked: Asked[] = [];
let n = 0;
const question = () => EXAMPLES[Math.floor(Math.random() * EXAMPLES.length)] ?? "latency";
const events = `${base}/slack/events`;
const WORKING = /Working on "/;
/**
 * What people see, per response_url hook, Slack channel and Teams conversation: answers, not
 * "working…" (a working message counts once an edit turns it into an answer). The fakes' records
 * are emptied into it, so the soak's memory stays the bot's.
 */
const answers = new Map<string, number>();
/** Working messages not (yet) edited into an answer: "channel ts" / "conversation id". */
const stillWorking = new Set<string>();
function tally(): void {
  const add = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);
  for (const r of slack.responses.splice(0)) add(r.path);
  for (const c of slack.calls.splice(0)) {
    const channel = String(c.args.channel);
    const text = typeof c.args.text === "string" ? c.args.text : "";
    if (c.method === "chat.postMessage") {
      if (WORKING.test(text)) stillWorking.add(`${channel} ${String(c.result.ts)}`);
      else add(`slack:${channel}`);
    } else if (c.method === "chat.update" && !WORKING.test(text) && stillWorking.delete(`${channel} ${String(c.args.ts)}`)) add(`slack:${channel}`);
  }
  for (const c of connector.calls.splice(0)) {
    if (c.body.type !== "message") continue;
    const text = typeof c.body.text === "string" ? c.body.text : "";
    if (c.method === "POST") {
      if (WORKING.test(text)) stillWorking.add(`${c.conversationId} ${c.createdId ?? ""}`);
      else add(`teams:${c.conversationId}`);
    } else if (c.method === "PUT" && stillWorking.delete(`${c.conversationId} ${c.activityId ?? ""}`)) add(`teams:${c.conversationId}`);
  }
  slack.forgetDelivered();
  // the fakes keep every refused call's body (Teams cards are up to 28 KB): the soak reads none of them
  slack.failed.splice(0);
  connector.failed.splice(0);
}
/** Its answers, else 1 when the bot gave up on its delivery and said so at error (a 5xx may have delivered it: never sent twice). */
const seen = (key: string, place: string) => () => answers.get(key) ?? (saidGaveUp.has(place) ? 1 : 0);
/** Deliveries under way; a settled one is let go (its HTTP response kept to the end was the soak's own heap growth, not the bot's). */
const sending = new Set<Promise<void>>();
const consoleAnswers = new Map<string, number>();
/** Deliveries that got no 200 and were delivered again, as Slack and the Bot Framework do. */
const redelivered = { slack: 0, teams: 0 };
/** Questions none of whose deliveries got an HTTP answer (the soak's side failing, not the bot), with why. */
const unsent = new Map<string, string>();
const track = (id: string, work: Promise<unknown>) => {
  const settled: Promise<void> = work
    .then(
      () => undefined,
      (err: unknown) => {
        unsent.set(id, describe(err));
      },
    )
    .finally(() => sending.delete(settled));
  sending.add(settled);
};
const describe = (err: unknown) => (err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ""}` : String(err));

/**
 * A delivery as Slack makes it: again, with X-Slack-Retry-Num, when it got no 200 (up to 3 retries);
 * `extra` retries even after a 200 (Slack's retry of a slow acknowledgement).
 */
async function slackDelivery(req: SignedRequest, extra: number): Promise<void> {
  let failure: unknown;
  let ok = false;
  for (let retry = 0; retry <= 3 && (!ok || retry <= extra); retry++) {
    if (retry > 0 && !ok) await settle(1_000);
    const headers: Record<string, string> = retry === 0 ? {} : { "x-slack-retry-num": String(retry), "x-slack-retry-reason": ok ? "http_timeout" : "http_error" };
    if (retry > 0 && !ok) redelivered.slack++;
    try {
      ok = (await sendSigned(events, { ...req, headers })).status === 200 || ok;
    } catch (err) {
      failure = err;
    }
  }
  if (!ok) throw failure instanceof Error ? failure : new Error("no delivery got a 200");
}

/** An activity as the Bot Framework sends it: again, the same id, when it got no 200 (up to 2 retries), or `extra` times regardless. */
async function teamsDelivery(activity: Record<string, unknown>, extra: number): Promise<void> {
  let failure: unknown;
  let ok = false;
  for (let retry = 0; retry <= 2 && (!ok || retry <= extra); retry++) {
    if (retry > 0 && !ok) {
      redelivered.teams++;
      await settle(1_000);
    }
    try {
      ok = (await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) })).status === 200 || ok;
    } catch (err) {
      failure = err;
    }
  }
  if (!ok) throw failure instanceof Error ? failure : new Error("no delivery got a 200");
}

/** One question on a random surface; a fifth of the Slack deliveries and a tenth of the Teams ones come twice. */
function ask(): void {
  const id = `q${++n}`;
  const text = question();
  const at = Date.now();
  const kind = Math.random();
  const again = Math.random() < 0.2 ? 1 : 0;
  if (kind < 0.3) {
    const hook = `/hooks/${id}`;
    track(id, slackDelivery(slashCommand(text, { response_url: `${slack.url}${hook}`, trigger_id: `trig-${id}` }), again));
    asked.push({ surface: "slack-command", id, at, delivered: seen(hook, hook), key: hook });
  } else if (kind < 0.5) {
    const channel = `C${id.toUpperCase()}`;
    const ts = `${Math.floor(at / 1000)}.${String(n).padStart(6, "0")}`;
    track(id, slackDelivery(eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${text}`, ts, channel, event_ts: ts }, `Ev${id}`), again));
    asked.push({ surface: "slack-mention", id, at, delivered: seen(`slack:${channel}`, channel), key: `slack:${channel}`, place: channel });
  } else if (kind < 0.6) {
    const hook = `/hooks/${id}`;
    const value = JSON.stringify({ kind: "share", text });
    track(id, slackDelivery(blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0001" }, container: { type: "message", message_ts: "1", channel_id: "C0001", is_ephemeral: true }, response_url: `${slack.url}${hook}`, actions: [{ type: "button", action_id: "aoai_share", block_id: "aoai_follow_up", value, action_ts: "1" }] }), 0));
    asked.push({ surface: "slack-button", id, at, delivered: seen(hook, hook), key: hook });
  } else if (kind < 0.85) {
    const conversation = `a:soak-${id}`;
    track(id, teamsDelivery(personalMessage(connector.url, text, { conversation: { id: conversation, conversationType: "personal", tenantId: "11111111-2222-3333-4444-555555555555" } }), again && Math.random() < 0.5 ? 1 : 0));
    asked.push({ surface: "teams", id, at, delivered: seen(`teams:${conversation}`, conversation), key: `teams:${conversation}`, place: conversation });
  } else {
    consoleAnswers.set(id, 0);
    track(id, proc.conversation.say(text, { platform: "console", channel: `console-${id}` }).then(() => consoleAnswers.set(id, (consoleAnswers.get(id) ?? 0) + 1)));
    asked.push({ surface: "console", id, at, delivered: () => consoleAnswers.get(id) ?? 0 });
  }
}

/** Slack and Teams push back now and then: on posts, edits and uploads. */
function platformFault(): void {
  const r = Math.random();
  if (r < 0.3) slack.fail("chat.postMessage", 1, 429, 1);
  else if (r < 0.45) slack.fail("chat.update", 1, 503, 1);
  else if (r < 0.5) slack.fail("files.getUploadURLExternal", 1, Math.random() < 0.5 ? 429 : 500, 1);
  else if (r < 0.7) connector.fail("POST", 429, 1);
  else if (r < 0.8) connector.fail("PUT", 503);
  else connector.fail("POST", 502);
}

interface Memory {
  readonly rss: number;
  readonly heap: number;
  /** Buffers and other memory V8 knows of outside its heap (sockets, PNGs). */
  readonly external: number;
  /** The chart renderer process's RSS as of its last chart (a process of its own, recycled: not in `rss`). */
  readonly renderer: number | undefined;
}
/**
 * Memory once everything asked so far is answered and the process has been quiet for the same
 * 5 s, after a full collection: taken the same way after the warm-up and at the end, so the two
 * compare like with like (not one under load and one idle).
 */
async function quietMemory(): Promise<Memory> {
  const deadline = Date.now() + 60_000;
  tally();
  while (Date.now() < deadline && asked.some((a) => a.delivered() < 1)) {
    await settle(500);
    tally();
  }
  await settle(5_000);
  tally();
  gc();
  const m = process.memoryUsage();
  const renderer = chartRendererRss();
  return { rss: m.rss / MIB, heap: m.heapUsed / MIB, external: m.external / MIB, renderer: renderer === undefined ? undefined : renderer / MIB };
}
const MIB = 1024 * 1024;

const started = Date.now();
const until = started + MINUTES * 60_000;
let warm: Memory | undefined;
const every = 1000 / RATE;
let platformFaults = 0;
/** RSS after a collection, every 30 s under load: the trend between the two quiet samples. */
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
  if (warm === undefined && Date.now() - started >= WARM_UP_MS) {
    warm = await quietMemory();
    // the pause is not traffic: the run still sends MINUTES of it
    nextSample = Date.now() + 30_000;
  }
  await settle(every * (0.5 + Math.random()));
}
while (sending.size > 0) await Promise.allSettled([...sending]);
// every answer has had its chance: Azure's retries and timeouts, Slack's and Teams' Retry-After
const end = await quietMemory();

const missing = asked.filter((a) => a.delivered() === 0);
const doubled = asked.filter((a) => a.delivered() > 1);
const gaveUp = asked.filter((a) => a.key !== undefined && !answers.has(a.key) && a.place !== undefined && saidGaveUp.has(a.place));
const bySurface = new Map<Surface, number>();
for (const a of asked) bySurface.set(a.surface, (bySurface.get(a.surface) ?? 0) + 1);
const growth = (field: "rss" | "heap" | "external") => (warm === undefined ? NaN : (end[field] - warm[field]) / warm[field]);
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
const mib = (x: number | undefined) => (x === undefined ? "?" : x.toFixed(0));

console.log(`soak: ${MINUTES} min, ${asked.length} questions (${[...bySurface].map(([s, c]) => `${s} ${c}`).join(", ")})`);
console.log(`faults: Azure ${faults.throttled} × 429, ${faults.failed} × 500, ${faults.slow} slow (past the ${QUERY_TIMEOUT_MS} ms timeout) of ${faults.served} requests; ${platformFaults} Slack/Teams 429/5xx on posts, edits and uploads; ~20 % of Slack and ~10 % of Teams deliveries sent twice; ${redelivered.slack + redelivered.teams} redelivered after no 200`);
console.log(`answers: ${asked.length - missing.length - doubled.length} exactly once (${gaveUp.length} of them a delivery the bot gave up on and logged at error), ${missing.length} missing, ${doubled.length} more than once, ${stillWorking.size} "working…" never replaced; unhandled rejections/exceptions: ${rejections.length}; bot log: ${logged.warn} warnings, ${logged.error} errors`);
// glibc keeps freed native memory (libvips' threads) in its arenas; jemalloc returns it: say which one measured
const allocator = /jemalloc/.test(process.env.LD_PRELOAD ?? "") ? "jemalloc (LD_PRELOAD)" : `glibc malloc${process.env.MALLOC_ARENA_MAX ? ` (MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX})` : ""}`;
console.log(`memory (${allocator}; quiet, after a full collection; warm-up ${(WARM_UP_MS / 1000).toFixed(0)} s → end): RSS ${mib(warm?.rss)} → ${mib(end.rss)} MiB (${pct(growth("rss"))}), JS heap ${mib(warm?.heap)} → ${mib(end.heap)} MiB (${pct(growth("heap"))}), external ${mib(warm?.external)} → ${mib(end.external)} MiB; chart renderer process RSS ${mib(warm?.renderer)} → ${mib(end.renderer)} MiB; RSS every 30 s under load: ${rssEvery30s.join(", ")} MiB`);
if (unsent.size > 0) console.log(`questions no delivery of which got an HTTP answer (the soak's side): ${unsent.size}${[...unsent].slice(0, 5).map(([id, e]) => `; ${id}: ${e}`).join("")}`);
logOut.end();
await new Promise<void>((resolve) => logOut.once("close", () => { resolve(); }));
const logLines = readFileSync(logFile, "utf8").split("\n");
for (const a of [...missing, ...doubled].slice(0, 10)) {
  console.log(`  ${a.surface} ${a.id}: ${a.delivered()} deliveries`);
  const mark = new RegExp(`\\b(C${a.id.toUpperCase()}|Ev${a.id}|trig-${a.id}|soak-${a.id}|${a.id})\\b`);
  for (const line of logLines.filter((l) => mark.test(l)).slice(0, 8)) console.log(`    ${line.slice(0, 400)}`);
}
console.log(`bot log (warnings and errors): ${logFile}`);
for (const r of rejections.slice(0, 5)) console.log("  unhandled:", r);

await proc.stop();
await slack.close();
await connector.close();
const ok = missing.length === 0 && doubled.length === 0 && rejections.length === 0 && Math.abs(growth("rss")) <= 0.1 && Math.abs(growth("heap")) <= 0.1;
console.log(ok ? "soak passed" : "soak FAILED");
process.exit(ok ? 0 : 1);
