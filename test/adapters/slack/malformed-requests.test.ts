import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned, sign, slashCommand, type SignedRequest } from "../../fakes/slack-request.ts";
import { startSlackBot } from "./slack-bot.ts";

let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  ({ proc, events } = await startSlackBot(slack));
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

const json = (body: unknown): SignedRequest => ({ body: JSON.stringify(body), contentType: "application/json" });
const form = (fields: Record<string, string>): SignedRequest => ({ body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" });
const envelope = (event: unknown, over: Record<string, unknown> = {}) => json({ token: "x", team_id: "T0001", api_app_id: "A0001", type: "event_callback", event_id: `Ev${Math.random().toString(36).slice(2)}`, event_time: 1764400000, event, ...over });
const mention = { type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400100.000100", channel: "C0MAL" };
const button = { type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0MAL" }, container: { type: "message", message_ts: "1", channel_id: "C0MAL", is_ephemeral: true }, response_url: "http://127.0.0.1:9/hooks/unused", actions: [{ type: "button", action_id: "aoai_refresh", block_id: "aoai_follow_up", value: JSON.stringify({ kind: "refresh", text: "latency" }), action_ts: "1" }] };
const commandFields = (over: Record<string, string> = {}) => Object.fromEntries(new URLSearchParams(slashCommand("latency", over).body));
const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

/** Nothing reaches Slack on the bot's side for what was refused. */
async function nothingSent(fn: () => Promise<void>): Promise<void> {
  const before = slack.calls.filter((c) => c.method !== "auth.test").length + slack.responses.length;
  await fn();
  await new Promise((r) => setTimeout(r, 60));
  expect(slack.calls.filter((c) => c.method !== "auth.test").length + slack.responses.length).toBe(before);
}

describe("signed requests of the wrong shape get 400 with the reason", () => {
  const cases: [string, SignedRequest, RegExp][] = [
    ["payload=null", form({ payload: "null" }), /body is not an object/],
    ["payload that is not JSON", form({ payload: "{oops" }), /neither JSON nor a form/],
    ["block_actions without actions", blockAction(without(button, "actions")), /block_actions: actions/],
    ["block_actions with no action in it", blockAction({ ...button, actions: [] }), /actions/],
    ["block_actions without user", blockAction(without(button, "user")), /block_actions: user/],
    ["event: null", envelope(null), /malformed Slack event: event/],
    ["event.text a number", envelope({ ...mention, text: 42 }), /event\.text: .*expected string/],
    ["event.text an object", envelope({ ...mention, text: { a: 1 } }), /event\.text/],
    ["an event without a channel", envelope(without(mention, "channel")), /event\.channel/],
    ["an envelope that is not event_callback", envelope(mention, { type: "block_actions" }), /type/],
    ["event_callback without event", json({ type: "event_callback", event_id: "Ev1", team_id: "T0001" }), /event/],
    ["a command without text", form(without(commandFields(), "text") as Record<string, string>), /slash command: text/],
    ["a command with a repeated text", { body: `${slashCommand("a").body}&text=b`, contentType: "application/x-www-form-urlencoded" }, /text/],
    ["a command without response_url", form(without(commandFields(), "response_url") as Record<string, string>), /response_url/],
    ["a JSON array", json([1, 2]), /body is not an object/],
    ["an empty object", json({}), /not a slash command, event or interaction/],
    ["url_verification without a challenge", json({ type: "url_verification", token: "x" }), /challenge/],
  ];
  it.each(cases)("%s", async (_name, req, reason) => {
    await nothingSent(async () => {
      const res = await sendSigned(events, req);
      expect(res.status).toBe(400);
      expect(res.body).toMatch(reason);
      expect(res.body.length).toBeLessThan(300);
    });
  });
});

describe("ids with NUL in them are refused at the edge", () => {
  const nul = "T00\u000001";
  const cases: [string, SignedRequest][] = [
    ["a command's team_id", slashCommand("latency", { team_id: nul })],
    ["a command's trigger_id", slashCommand("latency", { trigger_id: "trig\u0000x" })],
    ["a command's channel_id", slashCommand("latency", { channel_id: "C\u0000" })],
    ["a command's user_id", slashCommand("latency", { user_id: "U\u0000" })],
    ["an event_id", eventCallback(mention, "Ev\u0000dup")],
    ["an event's team_id", envelope(mention, { team_id: nul })],
    ["a mention's channel", envelope({ ...mention, channel: "C\u0000MAL" })],
    ["a DM's user", envelope({ type: "message", channel_type: "im", user: "U\u0000", text: "latency", ts: "1764400300.000100", channel: "D0MAL" })],
    ["a button's user", blockAction({ ...button, user: { id: "U\u0000" } })],
    ["a button's team", blockAction({ ...button, team: { id: nul } })],
    ["a button's trigger_id", blockAction({ ...button, trigger_id: "1.2.\u0000" })],
  ];
  it.each(cases)("%s", async (_name, req) => {
    await nothingSent(async () => {
      const res = await sendSigned(events, req);
      expect(res.status).toBe(400);
      expect(res.body).toContain("must not contain NUL");
    });
  });
});

describe("well-formed requests the app does not act on are acknowledged", () => {
  const cases: [string, SignedRequest][] = [
    ["an event type nobody listens to", envelope({ type: "reaction_added", user: "U0001", reaction: "+1", item: { type: "message", channel: "C0MAL", ts: "1" }, event_ts: "1" })],
    ["an unknown event type with odd fields", envelope({ type: "something_new", item: "not an object", subteam: null })],
    ["an event type named like an Object member (constructor)", envelope({ type: "constructor" })],
    ["an event type named like an Object member (__proto__)", envelope({ type: "__proto__" })],
    ["an event type named like an Object member (toString)", envelope({ type: "toString" })],
    ["app_rate_limited", json({ token: "x", type: "app_rate_limited", team_id: "T0001", minute_rate_limited: 1518467820, api_app_id: "A0001" })],
    ["a global shortcut", form({ payload: JSON.stringify({ type: "shortcut", callback_id: "x", trigger_id: "1.2.3", user: { id: "U0001" }, team: { id: "T0001" } }) })],
    ["a view submission", form({ payload: JSON.stringify({ type: "view_submission", user: { id: "U0001" }, view: { id: "V1" } }) })],
    ["a button of another app", blockAction({ ...button, actions: [{ type: "button", action_id: "other_app_button", block_id: "b", value: "v", action_ts: "1" }] })],
    ["ssl_check", form({ ssl_check: "1", token: "x" })],
  ];
  it.each(cases)("%s", async (_name, req) => {
    await nothingSent(async () => {
      const res = await sendSigned(events, req);
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1_000);
    });
  });

  it("answers url_verification with its challenge", async () => {
    const res = await sendSigned(events, json({ type: "url_verification", token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });
});

describe("shape is only looked at once the signature holds", () => {
  it("answers 401, not 400, to a malformed body that is unsigned or badly signed", async () => {
    await nothingSent(async () => {
      expect((await sendSigned(events, { ...form({ payload: "null" }), secret: "wrong" })).status).toBe(401);
      expect((await fetch(events, { method: "POST", body: "payload=null", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(401);
      const noSignature = await fetch(events, { method: "POST", body: "{}", headers: { "content-type": "application/json", "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)) } });
      expect(noSignature.status).toBe(401);
    });
  });
});

describe("timestamps", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => string][] = [
    ["Infinity", () => "Infinity"],
    ["1e400", () => "1e400"],
    ["a fraction", () => `${now()}.5`],
    ["an exponent that is now", () => `${now() / 1000}e3`],
    ["negative", () => `-${now()}`],
    ["non-numeric", () => "yesterday"],
    ["empty", () => ""],
    ["padded with zeros", () => `00${now()}`],
    ["with spaces", () => ` ${now()}`],
    ["hex", () => `0x${now().toString(16)}`],
    ["six minutes ahead", () => String(now() + 360)],
    ["six minutes behind", () => String(now() - 360)],
  ];
  it.each(cases)("a signed timestamp that is %s gets 401", async (_name, ts) => {
    await nothingSent(async () => {
      expect((await sendSigned(events, { ...slashCommand("latency"), timestamp: ts() })).status).toBe(401);
    });
  });

  it("accepts a plain integer within five minutes either way", async () => {
    for (const skew of [-290, 0, 290]) {
      const hook = `/hooks/ts${skew}`;
      const res = await sendSigned(events, { ...slashCommand("latency", { response_url: `${slack.url}${hook}` }), timestamp: String(now() + skew) });
      expect(res.status).toBe(200);
      await slack.waitFor(() => slack.responses.find((r) => r.path === hook));
    }
  });
});

describe("a body at the size limit", () => {
  it("is refused with 413 even when sent without a length", async () => {
    const big = slashCommand("x".repeat(300_000));
    const ts = Math.floor(Date.now() / 1000);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big.body));
        c.close();
      },
    });
    const res = await fetch(events, { method: "POST", body: stream, duplex: "half", headers: { "content-type": big.contentType, "x-slack-request-timestamp": String(ts), "x-slack-signature": sign(big.body, ts) } });
    expect(res.status).toBe(413);
  });
});
