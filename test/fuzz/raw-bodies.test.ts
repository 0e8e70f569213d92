// The bytes themselves fuzzed, not only the values: real Slack events, slash-command forms and
// button payloads (validly signed, so they pass the signature and reach the parsers) and real Teams
// activities, cut short, spliced with stray quotes, braces, NUL, lone surrogates and percent
// escapes, given a key twice, or carrying a value nested tens of thousands deep, sent to the real
// HTTP endpoints of one bot process. Every one gets a 2xx or a 4xx, never a 5xx; no handler fails
// unseen; the process keeps answering real questions on both. (The value-level fuzzers are
// test/adapters/slack/fuzz.test.ts and test/adapters/teams/activity-fuzz.test.ts.) FUZZ_SEED=<n> replays a run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET, slashCommand, type SignedRequest } from "../fakes/slack-request.ts";
import { captureLogger } from "../support/capture-logger.ts";
import { personalMessage, channelMention, cardAction } from "../adapters/teams/activities.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261207 : Date.now() % 2_147_483_647));
const RUNS = 300;
const CONCURRENCY = 8;

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let proc: BotProcess;
let base: string;
// refusals are logged by the hundred; a handler that failed is a bug
const log = captureLogger({ level: "warn" });
const unhandled = unhandledDuringFile({ exceptions: true });

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  // answers of the bodies that still parse wait in their lanes at the platforms' pace: the stop gives them 2 s
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-raw-fuzz-")), "r.sqlite"), AOAI_DRAIN_MS: "2000" };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, logger: log.logger });
  base = `http://127.0.0.1:${proc.server.port}`;
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
  await connector.close();
});

/** What a broken proxy, a truncated write or a hostile sender does to a body's text. */
type Edit = { op: "cut"; at: number } | { op: "insert"; at: number; text: string } | { op: "replace"; at: number; text: string } | { op: "twice"; at: number } | { op: "deep"; depth: number; open: "[" | "{\"a\":" };
const junk = fc.oneof(fc.constantFrom('"', "\\", "{", "}", "[", "]", ",", ":", "\u0000", "\ud800", "\udfff", "%", "%E0%A4%A", "%00", "&", "=", "&payload=", "\r\n", "null", "1e400", "-0", '"__proto__":{}', "\ufeff"), fc.string({ unit: "binary", maxLength: 12 }));
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant("cut" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), text: junk }),
  fc.record({ op: fc.constant("replace" as const), at: fc.nat(), text: junk }),
  fc.record({ op: fc.constant("twice" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("deep" as const), depth: fc.integer({ min: 1_000, max: 40_000 }), open: fc.constantFrom("[" as const, '{"a":' as const) }),
);

function apply(text: string, e: Edit): string {
  const at = "at" in e ? e.at % (text.length + 1) : 0;
  switch (e.op) {
    case "cut":
      return text.slice(0, at);
    case "insert":
      return text.slice(0, at) + e.text + text.slice(at);
    case "replace":
      return text.slice(0, at) + e.text + text.slice(at + e.text.length);
    case "twice": {
      // the key-value pair starting at the next quote, given again: `"type":"x","type":"x"`
      const start = text.indexOf('"', at);
      const end = start < 0 ? -1 : text.indexOf(",", start);
      return start < 0 || end < 0 ? text : text.slice(0, end) + "," + text.slice(start, end) + text.slice(end);
    }
    case "deep": {
      const close = e.open === "[" ? "]" : "}";
      const value = e.open.repeat(e.depth) + "1" + close.repeat(e.depth);
      // as a field of the outermost object, or as the whole body when there is none
      return text.startsWith("{") ? `{"deep":${value},${text.slice(1)}` : value;
    }
  }
}
const edited = (templates: readonly string[]) => fc.tuple(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([i, edits]) => edits.reduce(apply, templates[i % templates.length] ?? ""));

/** Real bodies as the platforms send them, each kind with its own content type. */
function slackBodies(): fc.Arbitrary<SignedRequest> {
  const hooks = `${slack.url}/hooks/raw`;
  const mention = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> help", ts: "1764400100.000100", channel: "C0RAW", event_ts: "1764400100.000100" }, "EvRaw");
  const dm = eventCallback({ type: "message", channel_type: "im", user: "U0001", text: "help", ts: "1764400300.000100", channel: "D0RAW" }, "EvRawDm");
  const command = slashCommand("latency", { response_url: hooks, trigger_id: "1.2.raw" });
  const button = JSON.stringify({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0RAW" }, container: { type: "message", message_ts: "1", channel_id: "C0RAW", is_ephemeral: true }, response_url: hooks, actions: [{ type: "button", action_id: "aoai_ask_0", block_id: "aoai_examples", value: JSON.stringify({ kind: "ask", text: "help" }), action_ts: "1" }] });
  let n = 0;
  // each event body its own event_id where it still has one, so dedupe does not hide what a body does
  const fresh = (body: string) => body.replace(/"EvRaw(Dm)?"/, () => `"EvRaw${++n}"`);
  return fc.oneof(
    edited([mention.body, dm.body]).map((body) => ({ body: fresh(body), contentType: "application/json" })),
    edited([command.body]).map((body) => ({ body, contentType: command.contentType })),
    // the JSON inside payload= edited, then form-encoded as Slack sends it; and the form text itself edited
    edited([button]).map((payload) => ({ body: new URLSearchParams({ payload }).toString(), contentType: "application/x-www-form-urlencoded" })),
    edited([new URLSearchParams({ payload: button }).toString()]).map((body) => ({ body, contentType: "application/x-www-form-urlencoded" })),
  );
}

function teamsBodies(): fc.Arbitrary<string> {
  const conversation = { id: "a:raw-fuzz", conversationType: "personal" };
  return edited([JSON.stringify(personalMessage(connector.url, "help", { conversation })), JSON.stringify(channelMention(connector.url, "help")), JSON.stringify(cardAction(connector.url, { kind: "window", text: "latency", minutes: 60 }))]);
}

async function inTurns<T>(items: readonly T[], send: (item: T) => Promise<number>): Promise<{ item: T; status: number }[]> {
  const out: { item: T; status: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        out.push({ item, status: await send(item) });
      }
    }),
  );
  return out;
}

const statusCount = (results: readonly { status: number }[]) => {
  const seen = new Map<number, number>();
  for (const r of results) seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
  return seen;
};

describe(`raw request bodies, fuzzed byte by byte (FUZZ_SEED=${SEED})`, () => {
  it("Slack: signed events, command forms and button payloads, cut and spliced, get a 2xx or 4xx, never a 5xx", async () => {
    const bodies = fc.sample(slackBodies(), { numRuns: RUNS, seed: SEED });
    const results = await inTurns(bodies, async (req) => (await sendSigned(`${base}/slack/events`, req)).status);
    expect(results.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.item.contentType} ${r.item.body.slice(0, 200)}`)).toEqual([]);
    const seen = statusCount(results);
    // the edits must reach both sides of the parsers, or the test proves nothing
    expect(seen.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(seen.get(200) ?? 0).toBeGreaterThan(RUNS / 10);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(log.entries().filter((e) => e.msg === "slack handler failed")).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("Teams: activities cut and spliced get a 2xx or 4xx at /api/messages, never a 5xx", async () => {
    const bodies = fc.sample(teamsBodies(), { numRuns: RUNS, seed: SEED + 1 });
    const results = await inTurns(bodies, async (body) => {
      const res = await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
      await res.arrayBuffer();
      return res.status;
    });
    expect(results.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.item.slice(0, 200)}`)).toEqual([]);
    const seen = statusCount(results);
    expect(seen.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect([...seen.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(log.entries().filter((e) => e.level === "error" && typeof e.msg === "string" && e.msg.startsWith("teams turn failed"))).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("still answers a real question on each afterwards", async () => {
    const mention = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> help", ts: "1764400900.000100", channel: "C0RAWAFTER", event_ts: "1764400900.000100" }, "EvRawAfter");
    expect((await sendSigned(`${base}/slack/events`, mention)).status).toBe(200);
    await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0RAWAFTER"), 15_000);
    const activity = personalMessage(connector.url, "help", { conversation: { id: "a:raw-after", conversationType: "personal" } });
    expect((await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) })).status).toBe(200);
    await connector.waitFor(() => connector.messages("a:raw-after")[0], 15_000);
    expect(unhandled).toEqual([]);
  }, 40_000);
});
