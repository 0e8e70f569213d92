// Delivery failures are told apart by type: the real Slack WebClient and the real Agents SDK against
// the loopback fakes, failing the ways Slack and the Bot Connector fail. Refused (certainly not
// posted: safe to try the slot again) versus uncertain (may have been posted: never replayed).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter } from "@microsoft/agents-hosting";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boltLogger } from "../../src/adapters/slack/bolt-logger.ts";
import { SlackSender } from "../../src/adapters/slack/sender.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { TeamsReportPoster } from "../../src/adapters/teams/report-poster.ts";
import { readTeamsSettings } from "../../src/adapters/teams/settings.ts";
import { message } from "../../src/bot/message.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { SlackReportPoster } from "../../src/adapters/slack/report-poster.ts";
import { deliveryKey } from "../../src/schedules/delivery.ts";
import { ledgerKey, ReportRunner } from "../../src/schedules/runner.ts";
import type { Schedule } from "../../src/schedules/schedule.ts";
import { DeliveryRefusedError, DeliveryUncertainError, surelyUndelivered } from "../../src/schedules/delivery-errors.ts";
import { keys } from "../../src/store/keys.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";

let slack: FakeSlackApi;
let connector: FakeBotConnector;
let sender: SlackSender;
let teams: TeamsReportPoster;
const store = new SqliteStore(":memory:");
const CONVERSATION = "19:delivery@thread.tacv2";
const target = { platform: "teams", conversation: CONVERSATION } as const;
const report = message("notice", "info", "Delivery check");

/** The error `op` rejected with (the test fails when it resolves). */
async function failure(op: () => Promise<unknown>): Promise<unknown> {
  return op().then(
    () => new Error("expected the call to fail"),
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  sender = new SlackSender(new WebClient("xoxb-test", { slackApiUrl: `${slack.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5_000, logger: boltLogger(silentLogger) }), { maxAttempts: 3, budgetMs: 2_000, baseDelayMs: 10, maxDelayMs: 50 });
  teams = new TeamsReportPoster(new CloudAdapter(readTeamsSettings({}).authConfig), store, undefined);
  const reference = { serviceUrl: connector.url, channelId: "msteams", agent: { id: "28:aoai-bot", name: "aoai" }, user: { id: "29:ada", name: "Ada" }, conversation: { id: CONVERSATION, conversationType: "channel" } };
  await store.put(keys.teamsConversation(CONVERSATION), JSON.stringify(reference));
});
afterAll(async () => {
  await store.close();
  await connector.close();
  await slack.close();
});

describe("Slack", () => {
  it("retries a 429 after its Retry-After and posts once", async () => {
    slack.fail("chat.postMessage", 1, 429, 0);
    const posted = await sender.post("C0RETRYOK", { text: "hi", blocks: [] });
    expect(posted.ts).not.toBe("");
    expect(slack.messages("C0RETRYOK")).toHaveLength(1);
  });

  it("calls a 429 that outlasts the retries a refusal: rate_limited, nothing posted", async () => {
    slack.fail("chat.postMessage", 3, 429, 0);
    const err = await failure(() => sender.post("C0LIMITED", { text: "hi", blocks: [] }));
    expect(err).toBeInstanceOf(DeliveryRefusedError);
    expect(err).toMatchObject({ code: "rate_limited", platform: "slack", status: 429 });
    expect(surelyUndelivered(err)).toBe(true);
    expect(slack.messages("C0LIMITED")).toHaveLength(0);
  });

  it("calls ok:false a refusal, keeping Slack's error as the cause, and does not retry it", async () => {
    slack.refuse("chat.postMessage", "channel_not_found", 2);
    const err = await failure(() => sender.post("C0GONE", { text: "hi", blocks: [] }));
    expect(err).toBeInstanceOf(DeliveryRefusedError);
    expect(err).toMatchObject({ code: "platform_refused", message: "Slack refused the call: channel_not_found" });
    expect((err as Error).cause).toMatchObject({ data: { error: "channel_not_found" } });
    // the second refusal is still queued: one call was made
    slack.calls.length = 0;
    await failure(() => sender.post("C0GONE", { text: "hi", blocks: [] }));
    expect(slack.calls).toHaveLength(0);
  });

  it("calls an ok:false internal_error uncertain (Slack says part of it may have happened)", async () => {
    slack.refuse("chat.postMessage", "internal_error");
    const err = await failure(() => sender.post("C0HALF", { text: "hi", blocks: [] }));
    expect(err).toBeInstanceOf(DeliveryUncertainError);
    expect(surelyUndelivered(err)).toBe(false);
  });

  it("calls a 500 uncertain and never replays the post", async () => {
    slack.fail("chat.postMessage", 2, 500, 0);
    const err = await failure(() => sender.post("C0FIVE", { text: "hi", blocks: [] }));
    expect(err).toBeInstanceOf(DeliveryUncertainError);
    expect(err).toMatchObject({ code: "server_error", status: 500 });
    // one 500 is still queued for the next call: the first failure was not retried
    await expect(sender.post("C0FIVE", { text: "hi", blocks: [] })).rejects.toBeInstanceOf(DeliveryUncertainError);
    expect(slack.messages("C0FIVE")).toHaveLength(0);
  });

  it("calls an unreachable Slack a refusal (nothing was sent)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const offline = new SlackSender(new WebClient("xoxb-test", { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 }, timeout: 2_000, logger: boltLogger(silentLogger) }));
    const err = await failure(() => offline.post("C0X", { text: "hi", blocks: [] }));
    expect(err).toMatchObject({ name: "DeliveryRefusedError", code: "connection_refused" });
  });
});

describe("Teams (Bot Connector)", () => {
  it("retries a 429 after its Retry-After and posts once", async () => {
    connector.fail("POST", 429, 0);
    const ref = await teams.post(target, report);
    expect(ref.id).toMatch(/^bot-activity-/);
    expect(connector.messages(CONVERSATION)).toHaveLength(1);
  });

  it("calls a 404 (unknown conversation, bot removed) a refusal", async () => {
    connector.fail("POST", 404);
    const err = await failure(() => teams.post(target, report));
    expect(err).toBeInstanceOf(DeliveryRefusedError);
    expect(err).toMatchObject({ code: "platform_refused", platform: "teams", status: 404 });
  });

  it("calls a 5xx on a new post uncertain and does not replay it", async () => {
    const before = connector.messages(CONVERSATION).length;
    connector.fail("POST", 503);
    const err = await failure(() => teams.post(target, report));
    expect(err).toBeInstanceOf(DeliveryUncertainError);
    expect(err).toMatchObject({ code: "server_error", status: 503 });
    expect(connector.messages(CONVERSATION)).toHaveLength(before);
  });

  it("retries a 5xx on an update (editing is idempotent)", async () => {
    const ref = await teams.post(target, report);
    connector.fail("PUT", 502);
    await teams.update(ref, message("notice", "ok", "Delivery check, edited"));
    expect(connector.calls.filter((c) => c.method === "PUT" && c.activityId === ref.id)).toHaveLength(1);
  });

  it("calls a conversation the bot was never added to a refusal before anything is sent", async () => {
    const calls = connector.calls.length;
    const err = await failure(() => teams.post({ platform: "teams", conversation: "19:never@thread.tacv2" }, report));
    expect(err).toMatchObject({ name: "TeamsConversationUnknownError", code: "teams_conversation_unknown" });
    expect(surelyUndelivered(err)).toBe(true);
    expect(connector.calls.length).toBe(calls);
  });
});

describe("the runner, by type alone", () => {
  const NOW = new Date("2026-11-29T10:00:00Z");
  const slot = new Date("2026-11-29T08:00:00Z");
  const runnerFor = () => new ReportRunner({ store, service: createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service, posters: { slack: new SlackReportPoster(sender, silentLogger), teams }, owner: "typed", logger: silentLogger });
  const schedule = (name: string, post: Schedule["post"]): Schedule => ({ name, cron: "0 9 * * *", timezone: "Europe/Berlin", report: { kind: "summary" }, post, paused: false, origin: "config" });

  it.each([
    ["Slack ok:false", "typed-slack-refused", () => { slack.refuse("chat.postMessage", "not_in_channel"); }, [{ platform: "slack", channel: "C0NOTIN" }], "failed", "absent"],
    ["Slack 500", "typed-slack-5xx", () => { slack.fail("chat.postMessage", 1, 500, 0); }, [{ platform: "slack", channel: "C0FIVE2" }], "undelivered", "posting"],
    ["Teams 404", "typed-teams-404", () => { connector.fail("POST", 404); }, [target], "failed", "absent"],
    ["Teams 502", "typed-teams-5xx", () => { connector.fail("POST", 502); }, [target], "undelivered", "posting"],
  ] as const)("%s: %s", async (_name, name, breakIt, post, status, recorded) => {
    const s = schedule(name, post);
    breakIt();
    const outcome = await runnerFor().runSlot(s, slot);
    // failed: certainly not posted, the ledger lets the slot be tried again; undelivered: never replayed
    expect(outcome.status).toBe(status);
    const intent = JSON.parse((await store.get(deliveryKey({ slot: ledgerKey(s.name, slot), part: 0 }, post[0]))) ?? "{}") as { state?: string };
    expect(intent.state).toBe(recorded);
  });
});
