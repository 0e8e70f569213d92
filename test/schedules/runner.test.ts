import { randomUUID } from "node:crypto";
import { slackPlatform } from "../../src/adapters/slack/platform.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { SlackReportPoster } from "../../src/adapters/slack/report-poster.ts";
import { deliveryKey } from "../../src/schedules/delivery.ts";
import { ledgerKey, ReportRunner } from "../../src/schedules/runner.ts";
import { ScheduleBook } from "../../src/schedules/schedule-book.ts";
import { Scheduler } from "../../src/schedules/scheduler.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";
import { silentLogger } from "../../src/log/logger.ts";

const PG = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NOW = new Date("2026-11-29T10:00:00Z");
let slack: FakeSlackApi;
const procs: BotProcess[] = [];

const schedule = (over: Partial<Schedule> = {}): Schedule => ({ name: `t-${randomUUID().slice(0, 8)}`, cron: "0 9 * * *", timezone: "Europe/Berlin", report: { kind: "summary" }, post: [{ platform: "slack", channel: "C0REPORTS" }], paused: false, origin: "config", ...over });

async function replica(schedules: Schedule[], owner: string, database: "pg" | "sqlite" = "pg", now = NOW, teamsChannels: ReadonlyMap<string, string> = new Map()): Promise<BotProcess> {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, ...(database === "pg" ? { DATABASE_URL: PG } : { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-sched-")), "s.sqlite") }) };
  const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, schedules, teamsChannels }, { env, host: "127.0.0.1", source: "demo", now, runSchedules: false, owner });
  procs.push(p);
  return p;
}
const postsTo = (channel: string) => slack.posts("chat.postMessage").filter((c) => c.args.channel === channel);

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await slack.close();
});

describe("exactly once across replicas", () => {
  it("posts ten slots exactly ten times when two replicas sharing PostgreSQL both run every slot", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0TEN" }] });
    const [a, b] = [await replica([s], "replica-a"), await replica([s], "replica-b")];
    const slots = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 10, 19 + i, 8)));
    const outcomes = await Promise.all(slots.flatMap((slot) => [a.runner.runSlot(s, slot), b.runner.runSlot(s, slot)]));
    expect(outcomes.filter((o) => o.status === "posted")).toHaveLength(10);
    expect(outcomes.filter((o) => o.status === "skipped")).toHaveLength(10);
    expect(postsTo("C0TEN")).toHaveLength(10);
    for (const slot of slots) expect((await a.store.getRun(ledgerKey(s.name, slot)))?.status).toBe("done");
  });

  it("takes over a slot from a replica that died mid-report, after its lease, and posts it once", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0TAKEOVER" }] });
    const [dead, survivor] = [await replica([s], "dead"), await replica([s], "survivor")];
    const slot = new Date("2026-11-28T08:00:00Z");
    // the dead replica claimed the slot with a short lease and never finished it
    expect((await dead.store.claimRun(ledgerKey(s.name, slot), "dead", 50)).claimed).toBe(true);
    expect((await survivor.runner.runSlot(s, slot)).status).toBe("skipped");
    await new Promise((r) => setTimeout(r, 80));
    expect((await survivor.runner.runSlot(s, slot)).status).toBe("posted");
    expect((await survivor.runner.runSlot(s, slot)).status).toBe("skipped");
    expect(postsTo("C0TAKEOVER")).toHaveLength(1);
    expect(await survivor.store.getRun(ledgerKey(s.name, slot))).toMatchObject({ owner: "survivor", attempt: 2, status: "done" });
  });

  it("catches up the latest missed slot once after a short restart", async () => {
    const s = schedule({ cron: "0 * * * *", timezone: "UTC", post: [{ platform: "slack", channel: "C0CATCHUP" }] });
    const first = await replica([s], "before-restart");
    await first.runner.runSlot(s, new Date("2026-11-29T08:00:00Z"));
    // down from 08:10 to 09:30: the 09:00 slot is within the 2-hour grace window
    const restarted = await replica([s], "after-restart", "pg", new Date("2026-11-29T09:30:00Z"));
    const scheduler = new Scheduler({ runner: restarted.runner, book: restarted.book, store: restarted.store, now: () => new Date("2026-11-29T09:30:00Z") });
    await scheduler.catchUp(s);
    await scheduler.catchUp(s);
    expect(postsTo("C0CATCHUP")).toHaveLength(2);
    expect((await restarted.store.getRun(ledgerKey(s.name, new Date("2026-11-29T09:00:00Z"))))?.status).toBe("done");
  });

  it("posts one 'missed while down' note instead of a backlog after a long outage", async () => {
    const s = schedule({ cron: "0 * * * *", timezone: "UTC", post: [{ platform: "slack", channel: "C0OUTAGE" }] });
    const first = await replica([s], "before-outage");
    await first.runner.runSlot(s, new Date("2026-11-28T20:00:00Z"));
    const later = new Date("2026-11-29T09:30:00Z");
    const restarted = await replica([s], "after-outage", "pg", later);
    const scheduler = new Scheduler({ runner: restarted.runner, book: restarted.book, store: restarted.store, now: () => later });
    await scheduler.catchUp(s);
    await scheduler.catchUp(s);
    const posts = postsTo("C0OUTAGE");
    // the 20:00 report, one note for 21:00…08:00, and the 09:00 slot caught up
    expect(posts).toHaveLength(3);
    expect(posts[1]?.args.text).toContain("12 scheduled reports missed while the bot was down");
  });
});

describe("taking over a slot whose post may have gone out", () => {
  /** What a replica killed mid-post leaves: its claim, and the intent to post, with no outcome. */
  async function diedWhilePosting(p: BotProcess, s: Schedule, slot: Date): Promise<void> {
    await p.store.claimRun(ledgerKey(s.name, slot), "died", 10);
    const target = s.post[0]!;
    await p.store.put(deliveryKey({ slot: ledgerKey(s.name, slot), part: 0 }, target), JSON.stringify({ state: "posting", at: Date.now(), owner: "died" }));
    await new Promise((r) => setTimeout(r, 30));
  }

  it("posts the report once when the channel's history shows it never arrived", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0NEVER" }] });
    const p = await replica([s], "heir-never", "sqlite");
    const slot = new Date("2026-11-28T08:00:00Z");
    await diedWhilePosting(p, s, slot);
    expect((await p.runner.runSlot(s, slot)).detail).toContain("slack:C0NEVER: posted");
    expect(slack.messages("C0NEVER").map((m) => m.text)).toEqual([expect.stringContaining("Daily summary")]);
    expect(slack.calls.some((c) => c.method === "conversations.history" && c.args.channel === "C0NEVER" && c.args.include_all_metadata === "true")).toBe(true);
  });

  it("posts a 'may already be above' note instead of the report when the history cannot be read", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0NOSCOPE" }] });
    const p = await replica([s], "heir-noscope", "sqlite");
    const slot = new Date("2026-11-28T08:00:00Z");
    await diedWhilePosting(p, s, slot);
    slack.fail("conversations.history", 1, 500, 0);
    expect((await p.runner.runSlot(s, slot)).status).toBe("posted");
    expect(slack.messages("C0NOSCOPE").map((m) => m.text)).toEqual([expect.stringContaining(`${s.name}: the 09:00 summary may already be above`)]);
    expect(await p.store.getRun(ledgerKey(s.name, slot))).toMatchObject({ status: "done", owner: "heir-noscope" });
  });
});

describe("reports", () => {
  it("plans the default daily summary as two Azure requests per resource, worst movers first", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0SUMMARY" }] });
    const p = await replica([s], "summary", "sqlite");
    const before = p.source.metrics.requestCount;
    await p.runner.runSlot(s, new Date("2026-11-28T08:00:00Z"));
    // the two Metrics - List requests, and the metric-definitions read (cached 60 s) that picks the resource's metric family
    expect(p.source.metrics.requestCount - before).toBe(3);
    const post = postsTo("C0SUMMARY")[0]!;
    const blocks = JSON.stringify(post.args.blocks);
    expect(blocks).toContain("Daily summary — aoai-demo — Fri 27 Nov 2026 (Europe/Berlin)");
    expect(blocks.indexOf("Worst movers")).toBeLessThan(blocks.indexOf("Requests:"));
    expect(blocks).toContain("gpt-4o-mini");
    expect(blocks).toContain("grain PT1H, 2 Metrics - List requests");
  });

  it("posts one parent while a condition holds, edits it, and resolves it in its thread", async () => {
    const s = schedule({ cron: "*/5 * * * *", timezone: "UTC", report: { kind: "condition", condition: "429s > 50 over 5m for gpt-4o-mini" }, post: [{ platform: "slack", channel: "C0COND" }] });
    const p = await replica([s], "condition", "sqlite", new Date("2026-11-29T16:00:00Z"));
    // the demo throttles gpt-4o-mini every day from 13:30 to 14:40 UTC
    const at = (hhmm: string) => new Date(`2026-11-29T${hhmm}:00Z`);
    expect((await p.runner.runSlot(s, at("13:25"))).status).toBe("nothing-to-post");
    expect((await p.runner.runSlot(s, at("13:35"))).detail).toContain("started holding");
    for (const t of ["13:40", "13:45", "14:00", "14:20", "14:40"]) expect((await p.runner.runSlot(s, at(t))).detail).toContain("still holding");
    expect((await p.runner.runSlot(s, at("14:45"))).detail).toContain("resolved");
    const top = postsTo("C0COND").filter((c) => c.args.thread_ts === undefined);
    expect(top).toHaveLength(1);
    const parentTs = top[0]!.result.ts;
    const thread = postsTo("C0COND").filter((c) => c.args.thread_ts === parentTs);
    expect(thread).toHaveLength(1);
    expect(thread[0]!.args.text).toContain("Resolved");
    const edits = slack.posts("chat.update").filter((c) => c.args.channel === "C0COND");
    expect(edits).toHaveLength(6);
    expect(edits.at(-1)?.args.text).toContain("Resolved");
  });
});

describe("the live scheduler", () => {
  it("runs each slot once between two replicas whose node-cron tasks both fire", async () => {
    // every second, so the test sees several real slots; the ledger decides who posts each
    const s = schedule({ cron: "* * * * * *", timezone: "UTC", post: [{ platform: "slack", channel: "C0LIVE" }], report: { kind: "absence", deployment: "gpt-4o", windowMinutes: 60 } });
    const a = await replica([], "live-a");
    const b = await replica([], "live-b");
    const started = Date.now();
    const schedulers = [a, b].map((p) => new Scheduler({ runner: p.runner, book: new ScheduleBook(p.store, [s]), store: p.store }));
    await Promise.all(schedulers.map((x) => x.start()));
    await new Promise((r) => setTimeout(r, 3_500));
    await Promise.all(schedulers.map((x) => x.stop()));
    const keys = await a.store.runKeys(`${s.name}:`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const runs = await Promise.all(keys.map((k) => a.store.getRun(k)));
    // every slot was claimed by exactly one replica, finished, and posted once
    expect(runs.every((r) => r?.status === "done" && r.attempt === 1)).toBe(true);
    expect(postsTo("C0LIVE")).toHaveLength(keys.length);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("delivery", () => {
  it("records a Slack 5xx and does not post again (the message may have gone out)", async () => {
    const s = schedule({ post: [{ platform: "slack", channel: "C0FLAKY" }] });
    const p = await replica([s], "flaky", "sqlite");
    slack.fail("chat.postMessage", 1, 500, 0);
    const slot = new Date("2026-11-27T08:00:00Z");
    const outcome = await p.runner.runSlot(s, slot);
    expect(outcome.status).toBe("undelivered");
    expect((await p.store.getRun(ledgerKey(s.name, slot)))?.outcome).toContain("slack:C0FLAKY: failed");
    expect((await p.store.getRun(ledgerKey(s.name, slot)))?.outcome).toContain("not retried, it may have been delivered");
    expect((await p.runner.runSlot(s, slot)).status).toBe("skipped");
    expect(postsTo("C0FLAKY")).toHaveLength(0);
  });

  it("tries a slot again when Azure failed before anything was posted, and posts it once", async () => {
    const { FakeAzureMonitor, fakeCredential } = await import("../fakes/azure-monitor.ts");
    const azure = await new FakeAzureMonitor().start();
    const resource = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod";
    let healthy = false;
    azure.handler = (req) => (healthy || req.query.resultType === "Metadata" ? { status: 200, body: { timespan: req.query.timespan, value: [] } } : { status: 500, body: { error: { code: "InternalServerError", message: "try later" } } });
    try {
      const s = schedule({ cron: "0 * * * *", timezone: "UTC", post: [{ platform: "slack", channel: "C0RETRY" }] });
      const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-sched-")), "s.sqlite") };
      const p = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, resourceIds: [resource], schedules: [s] }, { env, host: "127.0.0.1", source: "azure", httpClient: azure.httpClient(), credential: fakeCredential, runSchedules: false });
      procs.push(p);
      // the replica's own store, service and Slack sender, with a retry delay short enough for a test
      const runner = new ReportRunner({ store: p.store, service: p.source.service, posters: { slack: new SlackReportPoster(p.adapter(slackPlatform)!.sender) }, retryFailedAfterMs: 10, owner: "retry", logger: silentLogger });
      const slot = new Date("2026-11-29T09:00:00Z");
      expect((await runner.runSlot(s, slot)).status).toBe("failed");
      healthy = true;
      await new Promise((r) => setTimeout(r, 30));
      const scheduler = new Scheduler({ runner, book: new ScheduleBook(p.store, [s]), store: p.store, now: () => new Date("2026-11-29T09:10:00Z") });
      await scheduler.tick();
      await scheduler.tick();
      expect(postsTo("C0RETRY")).toHaveLength(1);
      expect(await p.store.getRun(ledgerKey(s.name, slot))).toMatchObject({ status: "done", attempt: 2 });
    } finally {
      await azure.close();
    }
  });

  it("lets the minute tick take over a slot whose replica died, once its lease is over", async () => {
    const s = schedule({ cron: "0 * * * *", timezone: "UTC", post: [{ platform: "slack", channel: "C0DIED" }] });
    const p = await replica([s], "heir", "sqlite");
    const slot = new Date("2026-11-29T09:00:00Z");
    await p.store.claimRun(ledgerKey(s.name, slot), "died", 10);
    await new Promise((r) => setTimeout(r, 30));
    const scheduler = new Scheduler({ runner: p.runner, book: new ScheduleBook(p.store, [s]), store: p.store, now: () => new Date("2026-11-29T09:20:00Z") });
    await scheduler.tick();
    await scheduler.tick();
    expect(postsTo("C0DIED")).toHaveLength(1);
  });

  it("posts a condition's parent at the next check when the first post never went out", async () => {
    const s = schedule({ cron: "*/5 * * * *", timezone: "UTC", report: { kind: "condition", condition: "429s > 50 over 5m for gpt-4o-mini" }, post: [{ platform: "slack", channel: "C0LATE" }] });
    const p = await replica([s], "late", "sqlite", new Date("2026-11-29T16:00:00Z"));
    // rate-limited on every try the sender makes, so the parent never went out
    slack.fail("chat.postMessage", 3, 429, 0);
    expect((await p.runner.runSlot(s, new Date("2026-11-29T13:35:00Z"))).status).toBe("failed");
    expect((await p.runner.runSlot(s, new Date("2026-11-29T13:40:00Z"))).detail).toContain("started holding");
    expect(postsTo("C0LATE")).toHaveLength(1);
  });

  it("posts to a Teams channel from its stored conversation reference, by the name configuration gives it", async () => {
    const { FakeBotConnector, cardOf } = await import("../fakes/bot-connector.ts");
    const { botAdded } = await import("../adapters/teams/activities.ts");
    const connector = await new FakeBotConnector().start();
    try {
      const s = schedule({ post: [{ platform: "teams", conversation: "ops" }] });
      const p = await replica([s], "teams", "sqlite", NOW, new Map([["ops", "19:ops@thread.tacv2"]]));
      const added = botAdded(connector.url, "19:ops@thread.tacv2");
      added.channelData = { tenant: { id: "tenant-1" }, channel: { id: "19:ops@thread.tacv2", name: "ops" } };
      await fetch(`http://127.0.0.1:${p.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(added) });
      expect((await p.runner.runSlot(s, new Date("2026-11-28T08:00:00Z"))).status).toBe("posted");
      const cards = connector.messages("19:ops@thread.tacv2").map((c) => JSON.stringify(cardOf(c.body)));
      // the greeting, then the report
      expect(cards).toHaveLength(2);
      expect(cards[1]).toContain("Daily summary — aoai-demo — Fri 27 Nov 2026 (Europe/Berlin)");
    } finally {
      await connector.close();
    }
  });
});
