// The bot's PostgreSQL goes away (connections refused) or goes silent (bytes stop) while people ask
// in Slack: every request is acknowledged in time and answered, or the person is told it can't be.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { eventCallback, sendSigned, slashCommand } from "../../fakes/slack-request.ts";
import { TcpProxy } from "../../fakes/tcp-proxy.ts";
import { startSlackBot } from "./slack-bot.ts";

const DATABASE = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
let slack: FakeSlackApi;
let proxy: TcpProxy;
let proc: BotProcess;
let events: string;
let base: string;
const text = (blocks: unknown) => JSON.stringify(blocks);
const mention = (channel: string, say: string) => eventCallback({ type: "app_mention", user: "U0001", text: `<@UBOT> ${say}`, ts: "1764401000.000100", channel, event_ts: "1764401000.000100" });

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  proxy = await new TcpProxy({ host: DATABASE.hostname, port: Number(DATABASE.port || 5432) }).start();
  const viaProxy = new URL(DATABASE);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  ({ proc, events, base } = await startSlackBot(slack, { DATABASE_URL: viaProxy.toString() }));
  // the store is in use (tables made, connections pooled) before it fails
  await sendSigned(events, mention("C0WARM", "latency"));
  await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0WARM"));
});
afterAll(async () => {
  proxy.resume();
  await proc.stop();
  await proxy.close();
  await slack.close();
});
beforeEach(() => {
  proxy.resume();
});

describe("while PostgreSQL refuses connections", () => {
  beforeEach(() => {
    proxy.down();
  });

  it("acknowledges /aoai at once and answers it", async () => {
    const res = await sendSigned(events, slashCommand("latency", { response_url: `${slack.url}/hooks/outage-cmd` }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1_000);
    expect(JSON.parse(res.body)).toMatchObject({ text: expect.stringContaining("Working on") as unknown });
    const answer = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/outage-cmd"));
    expect(answer.body.replace_original).toBe(true);
    expect(text(answer.body.blocks)).toContain("Time to response");
  });

  it("answers a mention in its thread and a DM", async () => {
    const res = await sendSigned(events, mention("C0OUTAGE", "latency"));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1_000);
    await sendSigned(events, eventCallback({ type: "message", channel_type: "im", user: "U0001", text: "tokens by deployment 7d", ts: "1764401100.000100", channel: "D0OUTAGE" }));
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0OUTAGE"));
    expect(post.args.thread_ts).toBe("1764401000.000100");
    expect(text(post.args.blocks)).toContain("Time to response");
    const dm = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "D0OUTAGE"));
    expect(text(dm.args.blocks)).toContain("gpt-4o-mini");
  });

  it("says so when a schedule command can't be done, in the command's reply and in the thread", async () => {
    const res = await sendSigned(events, slashCommand("schedule list", { channel_id: "C0SCHED", response_url: `${slack.url}/hooks/outage-sched` }));
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3_000);
    const reply = res.body === "" ? (await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/outage-sched"))).body : (JSON.parse(res.body) as Record<string, unknown>);
    expect(reply.response_type).toBe("ephemeral");
    expect(text(reply.blocks)).toContain("something went wrong on my side");
    await sendSigned(events, mention("C0SCHEDM", "schedule list"));
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0SCHEDM"));
    expect(post.args.thread_ts).toBe("1764401000.000100");
    expect(text(post.args.blocks)).toContain("something went wrong on my side");
  });

  it("stays up", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("while PostgreSQL is silent (bytes stop, sockets stay open)", () => {
  it("acknowledges at once, and answers once the store's own timeout gives up", async () => {
    proxy.stall();
    const [cmd, ev, sched] = await Promise.all([
      sendSigned(events, slashCommand("latency", { response_url: `${slack.url}/hooks/stall-cmd` })),
      sendSigned(events, mention("C0STALL", "latency")),
      sendSigned(events, slashCommand("schedule list", { channel_id: "C0STALLS", response_url: `${slack.url}/hooks/stall-sched` })),
    ]);
    expect(cmd.status).toBe(200);
    expect(cmd.ms).toBeLessThan(1_000);
    expect(ev.status).toBe(200);
    expect(ev.ms).toBeLessThan(1_000);
    // a schedule command waits a little for the store, then shows it is working: still inside Slack's 3 s
    expect(sched.status).toBe(200);
    expect(sched.ms).toBeLessThan(3_000);
    expect(JSON.parse(sched.body)).toMatchObject({ text: expect.stringContaining("Working on") as unknown });
    const failed = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/stall-sched"), 15_000);
    expect(text(failed.body.blocks)).toContain("something went wrong on my side");
    const answer = await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/stall-cmd"), 15_000);
    expect(text(answer.body.blocks)).toContain("Time to response");
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0STALL"), 15_000);
    expect(text(post.args.blocks)).toContain("Time to response");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 30_000);
});

describe("once PostgreSQL is back", () => {
  it("answers a retried event once again", async () => {
    const ev = eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764401200.000100", channel: "C0BACK", event_ts: "1764401200.000100" }, `EvBack${Date.now()}`);
    await sendSigned(events, ev);
    await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === "C0BACK"));
    await sendSigned(events, { ...ev, headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.posts("chat.postMessage").filter((c) => c.args.channel === "C0BACK")).toHaveLength(1);
  });
});
