import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { blockAction, eventCallback, sendSigned, sendSignedOnce, SIGNING_SECRET, slashCommand } from "../../fakes/slack-request.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;

const text = (blocks: unknown) => JSON.stringify(blocks);
async function start(extraEnv: Record<string, string> = {}, options: { demoLatencyMs?: number; inlineWaitMs?: number } = {}) {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-slack-")), "s.sqlite"), ...extraEnv };
  const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, ...options });
  return { p, url: `http://127.0.0.1:${p.server.port}/slack/events` };
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  const s = await start();
  proc = s.p;
  events = s.url;
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

describe("/aoai", () => {
  it("acknowledges at once with a working state, then replaces it with the answer, just for the asker", async () => {
    const cmd = slashCommand("latency", { response_url: `${slack.url}/hooks/cmd-1` });
    const res = await sendSigned(events, cmd);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ response_type: "ephemeral", text: '⏳ Working on "latency"…' });
    const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/cmd-1"));
    expect(posted.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(text(posted.body.blocks)).toContain("Latency — last 1 h");
    expect(text(posted.body.blocks)).toContain("Time to response");
    expect(text(posted.body.blocks)).toContain("Share in channel");
    expect(slack.posts("chat.postMessage")).toHaveLength(0);
  });

  it("shares an ephemeral answer in the channel from its button", async () => {
    const value = JSON.stringify({ kind: "share", text: "latency" });
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0001" }, container: { type: "message", message_ts: "1", channel_id: "C0001", is_ephemeral: true }, response_url: `${slack.url}/hooks/share-btn`, actions: [{ type: "button", action_id: "aoai_share", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/share-btn"));
    expect(posted.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(text(posted.body.blocks)).toContain("Time to response");
    expect(text(posted.body.blocks)).not.toContain("Share in channel");
  });

  it("posts in the channel with `share`", async () => {
    const res = await sendSigned(events, slashCommand("share 429s gpt-4o-mini", { response_url: `${slack.url}/hooks/cmd-share` }));
    expect(JSON.parse(res.body)).toMatchObject({ response_type: "in_channel" });
    const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/cmd-share"));
    expect(posted.body).toMatchObject({ response_type: "in_channel", replace_original: true });
    expect(text(posted.body.blocks)).toContain("Rate-limited calls (429)");
  });

  it("shows help with clickable examples for `help` and for an empty command", async () => {
    for (const [t, hook] of [["help", "h1"], ["", "h2"]] as const) {
      await sendSigned(events, slashCommand(t, { response_url: `${slack.url}/hooks/${hook}` }));
      const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === `/hooks/${hook}`));
      expect(text(posted.body.blocks)).toContain('"action_id":"aoai_ask_');
      expect(text(posted.body.blocks)).toContain("latency gpt-4o 24h");
    }
  });

  it("explains a question it can't answer, with examples to click", async () => {
    await sendSigned(events, slashCommand("what's the weather", { response_url: `${slack.url}/hooks/err-1` }));
    const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/err-1"));
    expect(text(posted.body.blocks)).toContain("⚠️ I couldn't tell which metric");
    expect(text(posted.body.blocks)).toContain("aoai_examples");
  });

  it("answers the same trigger only once", async () => {
    const cmd = slashCommand("latency", { response_url: `${slack.url}/hooks/dup`, trigger_id: "trigger-dup" });
    await sendSigned(events, cmd);
    const second = await sendSigned(events, cmd);
    expect(second.status).toBe(200);
    await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/dup"));
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.responses.filter((r) => r.path === "/hooks/dup")).toHaveLength(1);
  });

  it("says which command it answers when given another one", async () => {
    const res = await sendSigned(events, slashCommand("x", { command: "/other" }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ text: expect.stringContaining("This app answers `/aoai`") as unknown });
  });
});

describe("mentions and DMs", () => {
  it("answers a mention in the thread of the mention", async () => {
    await sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> blocked calls last hour for deployment gpt-4o", ts: "1764400100.000100", channel: "C0002", event_ts: "1764400100.000100" }));
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0002"));
    expect(post.args.thread_ts).toBe("1764400100.000100");
    expect(text(post.args.blocks)).toContain("Content-filter blocks");
  });

  it("answers a retried event once", async () => {
    const ev = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400200.000100", channel: "C0003", event_ts: "1764400200.000100" }, "EvRetry1");
    await sendSigned(events, ev);
    await sendSigned(events, { ...ev, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0003"));
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0003")).toHaveLength(1);
  });

  it("answers a DM in the DM, not in a thread", async () => {
    await sendSigned(events, eventCallback({ type: "message", channel_type: "im", user: "U0001", text: "tokens by deployment 7d", ts: "1764400300.000100", channel: "D0001", event_ts: "1764400300.000100" }));
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "D0001"));
    expect(post.args.thread_ts).toBeUndefined();
    expect(text(post.args.blocks)).toContain("gpt-4o-mini");
  });

  it("ignores its own messages and other bots", async () => {
    await sendSigned(events, eventCallback({ type: "message", channel_type: "im", user: "UBOT", bot_id: "BBOT", text: "latency", ts: "1764400400.000100", channel: "D0002" }));
    await sendSigned(events, eventCallback({ type: "message", channel_type: "im", bot_id: "BOTHER", text: "latency", ts: "1764400401.000100", channel: "D0002" }));
    await new Promise((r) => setTimeout(r, 400));
    expect(slack.calls.filter((c) => c.args.channel === "D0002")).toHaveLength(0);
  });
});

describe("buttons", () => {
  it("re-asks over 24h and updates the channel message in place", async () => {
    const value = JSON.stringify({ kind: "window", text: "latency", minutes: 1440 });
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0004" }, container: { type: "message", message_ts: "1764400500.000100", channel_id: "C0004", is_ephemeral: false }, message: { ts: "1764400500.000100", text: "x" }, response_url: `${slack.url}/hooks/btn-1`, actions: [{ type: "button", action_id: "aoai_window_1440", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    const update = await slack.waitFor(() => slack.posts("chat.update").find((c) => c.args.channel === "C0004"));
    expect(update.args.ts).toBe("1764400500.000100");
    expect(text(update.args.blocks)).toContain("Latency — last 24 h");
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0004")).toHaveLength(0);
  });

  it("replaces an ephemeral answer through response_url", async () => {
    const value = JSON.stringify({ kind: "split", text: "latency" });
    await sendSigned(events, blockAction({ type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0005" }, container: { type: "message", message_ts: "1", channel_id: "C0005", is_ephemeral: true }, response_url: `${slack.url}/hooks/btn-eph`, actions: [{ type: "button", action_id: "aoai_split", block_id: "aoai_follow_up", value, action_ts: "1" }] }));
    const posted = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/btn-eph"));
    expect(posted.body.replace_original).toBe(true);
    expect(text(posted.body.blocks)).toContain("by deployment");
  });
});

describe("requests that are not from Slack", () => {
  // a channel of their own: a chart upload an earlier test left in flight may land in the window, and is not this request's
  const CHANNEL = "C0NOTSLACK";
  const here = () => slack.calls.filter((c) => c.args.channel === CHANNEL || c.args.channel_id === CHANNEL).length + slack.responses.filter((r) => r.path === "/hooks/not-slack").length;
  const command = (text: string) => slashCommand(text, { channel_id: CHANNEL, response_url: `${slack.url}/hooks/not-slack` });
  const nothingPosted = async (fn: () => Promise<void>) => {
    await fn();
    await new Promise((r) => setTimeout(r, 200));
    expect(here()).toBe(0);
  };

  it("rejects a bad signature with 401", async () => {
    await nothingPosted(async () => {
      expect((await sendSigned(events, { ...command("latency"), secret: "wrong" })).status).toBe(401);
    });
  });

  it("rejects stale and future timestamps with 401", async () => {
    await nothingPosted(async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await sendSigned(events, { ...command("latency"), timestamp: now - 301 })).status).toBe(401);
      expect((await sendSigned(events, { ...command("latency"), timestamp: now + 3600 })).status).toBe(401);
    });
  });

  it("rejects a wrong content type with 400", async () => {
    await nothingPosted(async () => {
      expect((await sendSigned(events, { ...command("latency"), contentType: "text/plain" })).status).toBe(400);
    });
  });

  it("rejects an oversized body without reading it all", async () => {
    await nothingPosted(async () => {
      expect(await sendSignedOnce(events, command("x".repeat(400_000)))).toBe(413);
    });
  });
});

describe("several replicas", () => {
  it("answer a retried event once between them when they share PostgreSQL", async () => {
    const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const a = await start({ DATABASE_URL: url });
    const b = await start({ DATABASE_URL: url });
    try {
      const ev = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400800.000100", channel: "C0008", event_ts: "1764400800.000100" }, `EvReplica${Date.now()}`);
      await Promise.all([sendSigned(a.url, ev), sendSigned(b.url, { ...ev, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } })]);
      await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0008"));
      await new Promise((r) => setTimeout(r, 400));
      expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0008")).toHaveLength(1);
    } finally {
      await a.p.stop();
      await b.p.stop();
    }
  });
});

describe("when Slack or Azure push back", () => {
  it("retries a rate-limited post after Retry-After and delivers the answer once", async () => {
    slack.fail("chat.postMessage", 1, 429, 1);
    const started = Date.now();
    await sendSigned(events, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400600.000100", channel: "C0006", event_ts: "1764400600.000100" }));
    await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0006"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0006")).toHaveLength(1);
  });

  it("shows a working message while Azure is slow, then edits it into the answer", async () => {
    const slow = await start({}, { demoLatencyMs: 300, inlineWaitMs: 50 });
    try {
      await sendSigned(slow.url, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400700.000100", channel: "C0007", event_ts: "1764400700.000100" }));
      const working = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0007"));
      expect(working.args.text).toContain("Working on");
      const update = await slack.waitFor(() => slack.posts("chat.update").find((c) => c.args.channel === "C0007"));
      expect(text(update.args.blocks)).toContain("Time to response");
    } finally {
      await slow.p.stop();
    }
  });
});

describe("a retry while the first delivery is still being answered", () => {
  it("is acknowledged and answered once, by the first delivery", async () => {
    const slow = await start({}, { demoLatencyMs: 400 });
    try {
      const ev = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764401000.000100", channel: "C0010", event_ts: "1764401000.000100" }, `EvInFlight${Date.now()}`);
      expect((await sendSigned(slow.url, ev)).status).toBe(200);
      const retry = await sendSigned(slow.url, { ...ev, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
      expect(retry.status).toBe(200);
      // Azure takes 400 ms: the first delivery's answer is still on its way when the retry is acknowledged
      expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0010")).toHaveLength(0);
      await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0010"));
      await new Promise((r) => setTimeout(r, 600));
      expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0010")).toHaveLength(1);
    } finally {
      await slow.p.stop();
    }
  });
});

describe("when Azure fails", () => {
  it("replaces the working message with a clear error", async () => {
    const { FakeAzureMonitor, fakeCredential } = await import("../../fakes/azure-monitor.ts");
    const azure = await new FakeAzureMonitor().start();
    azure.handler = (req) => (req.query.resultType === "Metadata" ? { status: 200, body: { timespan: "x", value: [] } } : { status: 403, delayMs: 200, body: { error: { code: "AuthorizationFailed", message: "no" } } });
    const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-slack-")), "s.sqlite") };
    const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod"] };
    const p = await startBotProcess(config, { env, host: "127.0.0.1", source: "azure", now: NOW, httpClient: azure.httpClient(), credential: fakeCredential, inlineWaitMs: 50 });
    try {
      await sendSigned(`http://127.0.0.1:${p.server.port}/slack/events`, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400900.000100", channel: "C0009", event_ts: "1764400900.000100" }));
      const working = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0009"));
      expect(working.args.text).toContain("Working on");
      const update = await slack.waitFor(() => slack.posts("chat.update").find((c) => c.args.channel === "C0009"));
      expect(update.args.ts).toBe(working.result.ts);
      expect(text(update.args.blocks)).toContain("Monitoring Reader");
    } finally {
      await p.stop();
      await azure.close();
    }
  });
});
