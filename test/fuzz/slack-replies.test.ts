// What a person in Slack sees for fuzzed input, through the real Bolt app over signed HTTP (the 5xx side
// of the same edge is test/adapters/slack/fuzz.test.ts): every /aoai command whatever its text, and every
// button click whatever its value, gets one reply at its response_url that says something (an answer,
// help, or an error with what to try), never silence and never the bot's own internal failure.
// FUZZ_SEED=<n> replays a run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../src/app/bot-process.ts";
import { FakeSlackApi, type ResponseUrlPost } from "../fakes/slack-api.ts";
import { blockAction, sendSigned, slashCommand } from "../fakes/slack-request.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261204 : Date.now() % 2_147_483_647));
const INTERNAL = "something went wrong on my side";
let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
let base: string;
let n = 0;
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events, base } = await startSlackBot(slack));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

const words = fc.constantFrom("latency", "429s", "errors", "tokens", "by", "deployment", "gpt-4o", "24h", "7d", "since", "yesterday", "top", "3", "share", "help", "schedule", "list", "kql", "logs", "<@U0001>", "<#C0001|ops>", "&amp;", "&lt;", "*bold*", "`x`", "\u0000", "\u200b", "?", "=", "-1");
const commandText = fc.oneof(
  { weight: 4, arbitrary: fc.array(words, { maxLength: 6 }).map((w) => w.join(" ")) },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", minLength: 2_001, maxLength: 5_000 }) },
);
/** What a button's value can be after a forged or stale click: JSON of the wrong shape, not JSON at all, a real follow-up with odd fields. */
const buttonValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.record({ kind: fc.constantFrom("window", "split", "refresh", "ask", "share", "nonsense"), text: commandText, minutes: fc.oneof(fc.integer(), fc.constantFrom(0, -60, 1e15)), question: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ["kind"] }).map((v) => JSON.stringify(v)),
);
const actionId = fc.constantFrom("aoai_ask_0", "aoai_split", "aoai_window_1440", "aoai_refresh", "aoai_share", "aoai_unknown");

const WORKING = "⏳";
/** The reply a person ends up with: in the acknowledgement itself when it was quick, else the last post to the response_url. */
async function finalReply(hook: string, ackBody: string): Promise<string> {
  const acked = ackBody.trim() === "" ? undefined : (JSON.parse(ackBody) as Record<string, unknown>);
  const inAck = acked === undefined ? "" : JSON.stringify([acked.text, acked.blocks]);
  if (inAck.length > 20 && !inAck.includes(WORKING)) return inAck;
  const path = `/hooks/${hook}`;
  const posted: ResponseUrlPost = await slack.waitFor(() => slack.responses.filter((r) => r.path === path && !JSON.stringify(r.body).includes(WORKING)).at(-1), 8_000);
  return JSON.stringify([posted.body.text, posted.body.blocks]);
}

describe(`what Slack shows for fuzzed input (FUZZ_SEED=${SEED})`, () => {
  it("replies to every /aoai command, whatever its text, with something to read", async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const hook = `cmd-${n++}`;
        const res = await sendSigned(events, slashCommand(text, { response_url: `${slack.url}/hooks/${hook}`, channel_id: `C0F${n % 5}` }));
        expect(res.status).toBe(200);
        const reply = await finalReply(hook, res.body);
        expect(reply.length).toBeGreaterThan(20);
        expect(reply).not.toContain(INTERNAL);
      }),
      { numRuns: 40, seed: SEED },
    );
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("replies to every button click, whatever its value, with something to read", async () => {
    await fc.assert(
      fc.asyncProperty(buttonValue, actionId, async (value, action) => {
        const hook = `btn-${n++}`;
        const payload = { type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0FBTN" }, container: { type: "message", message_ts: "1", channel_id: "C0FBTN", is_ephemeral: true }, response_url: `${slack.url}/hooks/${hook}`, trigger_id: `t-${n}`, actions: [{ type: "button", action_id: action, block_id: "aoai_follow_up", value, action_ts: "1" }] };
        const res = await sendSigned(events, blockAction(payload));
        expect(res.status).toBe(200);
        const reply = await finalReply(hook, res.body);
        expect(reply.length).toBeGreaterThan(20);
        expect(reply).not.toContain(INTERNAL);
      }),
      { numRuns: 40, seed: SEED + 1 },
    );
    expect(unhandled).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 60_000);
});
