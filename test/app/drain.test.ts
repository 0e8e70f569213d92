// Stopping a bot process (what SIGTERM does in main.ts): it says "draining" and takes nothing new,
// lets the answers and reports it accepted finish within the bound, and hands back report slots it
// could not finish, so another replica posts them at once: each exactly once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { ledgerKey } from "../../src/schedules/runner.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";

const config = () => ({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 });

/** A request whose headers are only partly sent: the connection is busy, so a drain keeps it open. */
async function startedRequest(port: number): Promise<{ finish: () => Promise<{ status: number; body: string }>; socket: Socket }> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  socket.write("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    socket,
    finish: () =>
      new Promise((resolve, reject) => {
        let raw = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => (raw += chunk));
        socket.on("error", reject);
        socket.on("close", () => {
          const [head = "", body = ""] = raw.split("\r\n\r\n");
          resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]), body });
        });
        socket.write("\r\n");
      }),
  };
}

describe("a stopping bot process", () => {
  it("answers /readyz 503 draining, refuses new connections, and lets the answer it is working on finish", async () => {
    // every simulated Azure call takes a while, so the question is still being answered when the stop begins
    const p = await startBotProcess(config(), { env: { AOAI_SQLITE_FILE: ":memory:" }, host: "127.0.0.1", source: "demo", runSchedules: false, demoLatencyMs: 150 });
    const port = p.server.port;
    const probe = await startedRequest(port);
    const answer = p.conversation.say("latency", { platform: "console", thread: "drain-test" });

    const stopping = p.shutdown({ drainMs: 10_000 });
    const draining = await probe.finish();
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toMatchObject({ status: "draining", checks: { accepting: { ok: false, detail: "draining: finishing 1 answer and 0 reports before exit" } } });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    const message = await answer;
    expect(message).toMatchObject({ kind: "answer", title: "Latency — last 1 h" });
    expect(await stopping).toEqual({ drained: true, released: [] });
    // a second stop is the same stop
    expect(await p.shutdown()).toEqual({ drained: true, released: [] });
  });
});

describe("a stop that runs out of time mid-report", () => {
  // a slot of the last few minutes, left claimed by a replica that died: the first replica takes it over
  const SLOT = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
  const KEY = ledgerKey("morning", SLOT);
  let slack: FakeSlackApi;
  let sqlite: string;
  let file: string;
  const started: BotProcess[] = [];

  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    const dir = mkdtempSync(join(tmpdir(), "aoai-drain-"));
    sqlite = join(dir, "s.sqlite");
    file = join(dir, "aoai.config.yaml");
    writeFileSync(file, `schedules:\n  - name: morning\n    cron: "0 9 * * *"\n    timezone: Europe/Berlin\n    report: summary\n    post:\n      - slack: C0DRAIN\n`);
  });
  afterAll(async () => {
    for (const p of started) await p.stop({ drainMs: 0 });
    await slack.close();
  });

  const replica = async (owner: string) => {
    const p = await startBotProcess({ ...loadConfig({ env: {}, file }), port: 0 }, { env: { AOAI_SQLITE_FILE: sqlite, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` }, host: "127.0.0.1", source: "demo", runSchedules: false, owner });
    started.push(p);
    return p;
  };

  it("releases the slot, and the next replica posts it exactly once (finding the post the first one sent)", async () => {
    const first = await replica("replica-first");
    expect((await first.store.claimRun(KEY, "replica-dead", 1)).claimed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const held = slack.hold("chat.postMessage");
    const [schedule] = await first.book.all();
    if (!schedule) throw new Error("no schedule");
    const run = first.scheduler.recover(schedule);
    await held.arrived;

    expect(await first.shutdown({ drainMs: 200 })).toEqual({ drained: false, released: [KEY] });
    const second = await replica("replica-second");
    expect(await second.store.getRun(KEY)).toMatchObject({ owner: "replica-first", status: "claimed" });
    await second.scheduler.recover(schedule);
    expect(await second.store.getRun(KEY)).toMatchObject({ owner: "replica-second", status: "done", attempt: 3 });
    expect((await second.store.getRun(KEY))?.outcome).toContain("already in the channel");

    // the first replica's post is answered late (a real process has exited by then: main.ts exits
    // when the drain ran out); its run is fenced off and posts nothing more
    held.release();
    void run.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const history = await new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/` }).conversations.history({ channel: "C0DRAIN" });
    expect(history.messages).toHaveLength(1);
    expect(await second.store.getRun(KEY)).toMatchObject({ owner: "replica-second", status: "done" });
  });
});

describe("a stop while a Slack answer is still being worked out", () => {
  it("waits for it: the \"working…\" message is edited into the answer", async () => {
    const slack = await new FakeSlackApi().start();
    try {
      const env = { AOAI_SQLITE_FILE: ":memory:", SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` };
      // slower than the inline wait: Slack gets "working…" first, the answer later
      const p = await startBotProcess(config(), { env, host: "127.0.0.1", source: "demo", runSchedules: false, demoLatencyMs: 150, inlineWaitMs: 20 });
      const asked = await sendSigned(`http://127.0.0.1:${p.server.port}/slack/events`, eventCallback({ type: "app_mention", user: "U0001", text: "<@UBOT> latency", ts: "1764400100.000100", channel: "C0WORK", event_ts: "1764400100.000100" }));
      expect(asked.status).toBe(200);
      await slack.waitFor(() => (slack.posts("chat.postMessage").length === 1 ? true : undefined));

      expect(await p.shutdown({ drainMs: 10_000 })).toEqual({ drained: true, released: [] });
      const update = await slack.waitFor(() => slack.posts("chat.update")[0]);
      expect(JSON.stringify(update)).toContain("Latency");
      expect(slack.messages("C0WORK")).toHaveLength(1);
      expect(JSON.stringify(slack.messages("C0WORK")[0])).not.toContain("working");
    } finally {
      await slack.close();
    }
  });
});
