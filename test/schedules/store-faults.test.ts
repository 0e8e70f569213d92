// Exactly once under store faults, through a TCP proxy the test controls between the bot and PostgreSQL:
// the ledger write failing after Slack accepted the post, and slots that fall inside an outage.
import { randomUUID } from "node:crypto";
import { slackPlatform } from "../../src/adapters/slack/platform.ts";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackReportPoster } from "../../src/adapters/slack/report-poster.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { ledgerKey, ReportRunner } from "../../src/schedules/runner.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { Scheduler } from "../../src/schedules/scheduler.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";
import { captureLogger } from "../support/capture-logger.ts";

const PG = { host: "127.0.0.1", port: Number(process.env.TEST_PG_PORT ?? 5432) };
const NOW = new Date("2026-11-29T10:00:00Z");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let slack: FakeSlackApi;
let proxy: TcpProxy;
const procs: BotProcess[] = [];
const log = captureLogger();

// hourly, but only on 29 November: node-cron's own tasks never fire while the suite runs
const schedule = (channel: string): Schedule => ({ name: `fault-${randomUUID().slice(0, 8)}`, cron: "0 * 29 11 *", timezone: "UTC", report: { kind: "summary" }, post: [{ platform: "slack", channel }], paused: false, origin: "config" });

async function replica(s: Schedule, owner: string): Promise<BotProcess> {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test` };
  const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, schedules: [s] }, { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false, owner, logger: log.logger });
  procs.push(p);
  return p;
}

/** The replica's own store, service and Slack sender, with a short lease and quick record retries. */
function runnerOf(p: BotProcess, owner: string): ReportRunner {
  return new ReportRunner({ store: p.store, service: p.source.service, posters: { slack: new SlackReportPoster(p.adapter(slackPlatform)!.sender, log.logger) }, owner, leaseMs: 300, recordRetry: { firstDelayMs: 50, maxDelayMs: 200, forMs: 20_000 }, logger: log.logger });
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  proxy = await new TcpProxy(PG).start();
});
afterEach(() => {
  proxy.resume();
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await proxy.close();
  await slack.close();
});

describe("the ledger write failing after delivery", () => {
  it("posts once and ends 'done' when PostgreSQL stalls and drops just after Slack accepted the post", async () => {
    const s = schedule("C0STALL");
    const p = await replica(s, "stalled");
    const runner = runnerOf(p, "stalled");
    const slot = new Date("2026-11-29T09:00:00Z");
    const held = slack.hold("chat.postMessage");
    const run = runner.runSlot(s, slot);
    await held.arrived;
    // Slack has the message; the database stalls, then its connections drop, before the bot hears back
    proxy.stall();
    held.release();
    await sleep(200);
    proxy.down();
    await sleep(600);
    proxy.resume();
    expect((await run).status).toBe("posted");
    expect(await p.store.getRun(ledgerKey(s.name, slot))).toMatchObject({ status: "done", attempt: 1 });
    // past the lease, another replica's minute tick finds nothing to redo
    await sleep(350);
    const other = runnerOf(p, "other");
    await new Scheduler({ runner: other, book: p.book, store: p.store, now: () => new Date("2026-11-29T09:10:00Z") }).tick();
    expect((await other.runSlot(s, slot)).status).toBe("skipped");
    expect(slack.messages("C0STALL")).toHaveLength(1);
    // the write after delivery failed, was retried (logged) and went through once the database was back
    const ours = log.entries().filter((e) => String(e.what).includes(ledgerKey(s.name, slot)));
    expect(ours.some((e) => e.level === "warn" && e.msg === "record failed; trying again")).toBe(true);
    expect(ours.some((e) => e.msg === "recorded after retrying" && Number(e.attempts) > 1)).toBe(true);
  });
});

describe("a slot inside a store outage", () => {
  it("is caught up late by the first minute tick after the store is back", async () => {
    const s = schedule("C0OUTAGE1");
    const p = await replica(s, "outage");
    let clock = new Date("2026-11-29T08:50:00Z");
    const scheduler = new Scheduler({ runner: runnerOf(p, "outage"), book: p.book, store: p.store, now: () => clock, logger: log.logger });
    await scheduler.tick();
    proxy.down();
    // the 09:00 slot passes with the store unreachable: its claim fails, the tick cannot even read the schedules
    clock = new Date("2026-11-29T09:05:00Z");
    await expect(scheduler.tick()).rejects.toThrow();
    proxy.resume();
    clock = new Date("2026-11-29T09:20:00Z");
    await scheduler.tick();
    await scheduler.tick();
    await scheduler.stop();
    const posted = slack.messages("C0OUTAGE1");
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain("Daily summary");
    expect(await p.store.getRun(ledgerKey(s.name, new Date("2026-11-29T09:00:00Z")))).toMatchObject({ status: "done" });
  });

  it("becomes one 'missed' note (and the latest slot late) after a long outage, also when the bot restarts after it", async () => {
    const s = schedule("C0OUTAGE2");
    const before = await replica(s, "before");
    const first = new Scheduler({ runner: runnerOf(before, "before"), book: before.book, store: before.store, now: () => new Date("2026-11-29T05:50:00Z") });
    await first.tick();
    await first.stop();
    proxy.down();
    await sleep(100);
    proxy.resume();
    // a new process, started after the outage: 06:00…09:00 passed with no ledger row
    const after = await replica(s, "after");
    const restarted = new Scheduler({ runner: runnerOf(after, "after"), book: after.book, store: after.store, now: () => new Date("2026-11-29T09:20:00Z") });
    await restarted.catchUp(s);
    await restarted.catchUp(s);
    await restarted.tick();
    const posted = slack.messages("C0OUTAGE2");
    expect(posted.map((m) => m.text)).toEqual([expect.stringContaining("3 scheduled reports missed while the bot was down"), expect.stringContaining("Daily summary")]);
    for (const hour of ["06", "07", "08"]) expect((await after.store.getRun(ledgerKey(s.name, new Date(`2026-11-29T${hour}:00:00Z`))))?.outcome).toContain("missed");
  });
});
