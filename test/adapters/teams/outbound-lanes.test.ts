// Activities to Teams through the one TeamsSender: the real Agents SDK CloudAdapter and connector
// client (proactive turns, as scheduled reports and late answers go) against the loopback Bot
// Connector answering 429s and 5xx, and the real bot process answering a crowd in one chat. Each
// conversation gets its activities in order and once, a 429's Retry-After is waited out, a create a
// 5xx may have delivered is never replayed, edits of one activity waiting together become one.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudAdapter } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Delivery } from "../../../src/adapters/delivery-observer.ts";
import { TeamsCards } from "../../../src/adapters/teams/card-activity.ts";
import { TeamsReportPoster } from "../../../src/adapters/teams/report-poster.ts";
import { TeamsSender } from "../../../src/adapters/teams/sender.ts";
import { readTeamsSettings } from "../../../src/adapters/teams/settings.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { message } from "../../../src/bot/message.ts";
import { DeliveryUncertainError } from "../../../src/schedules/delivery-errors.ts";
import { keys } from "../../../src/store/keys.ts";
import { SqliteStore } from "../../../src/store/sqlite-store.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { captureLogger } from "../../support/capture-logger.ts";
import { personalMessage } from "./activities.ts";

let connector: FakeBotConnector;
let proc: BotProcess;
const store = new SqliteStore(":memory:");
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** Teams' pace shortened (50 ms an activity, bursts of 2); the real adapter calling the fake connector. */
async function poster(conversation: string) {
  const log = captureLogger();
  const observed: Delivery[] = [];
  const sender = new TeamsSender(log.logger, (d) => observed.push(d), { pacing: { intervalMs: 50, burst: 2 }, retry: { maxAttempts: 3, budgetMs: 5_000, baseDelayMs: 20, maxDelayMs: 100 } });
  const reference = { serviceUrl: connector.url, channelId: "msteams", agent: { id: "28:aoai-bot", name: "aoai" }, user: { id: "29:ada", name: "Ada" }, conversation: { id: conversation, conversationType: "channel" } };
  await store.put(keys.teamsConversation(conversation), JSON.stringify(reference));
  const p = new TeamsReportPoster(new CloudAdapter(readTeamsSettings({}).authConfig), store, undefined, new Map(), new TeamsCards(), sender);
  return { p, sender, observed, errors: () => log.entries().filter((e) => e.level === "error"), target: { platform: "teams", conversation } as const };
}
const titles = (conversation: string) => connector.messages(conversation).map((c) => JSON.stringify(cardOf(c.body)).match(/Report (\d+)/)?.[1]);
const reports = (n: number) => Array.from({ length: n }, (_, i) => message("notice", "info", `Report ${i + 1}`));

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  connector = await new FakeBotConnector().start();
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-teams-lanes-")), "t.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z") });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await proc.stop();
  await connector.close();
  await store.close();
});

describe("Teams' outbound lanes", () => {
  it("posts a burst of reports to one conversation in order and once, waiting out a 429's Retry-After", async () => {
    const { p, observed, errors, target } = await poster("19:lanes@thread.tacv2");
    connector.fail("POST", 429, 1);
    await Promise.all(reports(8).map((r) => p.post(target, r)));
    expect(titles("19:lanes@thread.tacv2")).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    const limited = connector.failed.find((f) => f.conversationId === "19:lanes@thread.tacv2");
    const next = connector.calls.find((c) => c.conversationId === "19:lanes@thread.tacv2" && c.at >= (limited?.at ?? Infinity));
    expect((next?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(995);
    expect(observed).toEqual([]);
    expect(errors()).toEqual([]);
  });

  it("never replays a report a 5xx may have delivered: said at error with its conversation, counted dropped, the rest in order", async () => {
    const { p, observed, errors, target } = await poster("19:flaky@thread.tacv2");
    await p.post(target, reports(1)[0]!);
    connector.fail("POST", 502);
    const [second, third] = [p.post(target, message("notice", "info", "Report 2")), p.post(target, message("notice", "info", "Report 3"))];
    await expect(second).rejects.toBeInstanceOf(DeliveryUncertainError);
    await third;
    expect(titles("19:flaky@thread.tacv2")).toEqual(["1", "3"]);
    expect(errors()).toEqual([expect.objectContaining({ conversation: "19:flaky@thread.tacv2", what: "report", msg: "teams: gave up on a message to conversation 19:flaky@thread.tacv2" })]);
    expect(observed).toEqual([{ platform: "teams", outcome: "dropped" }]);
  });

  it("retries an edit after a 5xx (sending it twice does no harm) and sends only the latest of the edits waiting behind it", async () => {
    const { p, target } = await poster("19:edits@thread.tacv2");
    const ref = await p.post(target, message("notice", "info", "Report 0"));
    connector.fail("PUT", 503, undefined, 2);
    await Promise.all([1, 2, 3, 4].map((n) => p.update(ref, message("notice", "info", `Report ${n}`))));
    const puts = connector.calls.filter((c) => c.method === "PUT" && c.activityId === ref.id);
    // edit 1 met both 503s; edits 2–4 waited behind it, and 4, the newest, took its place
    expect(puts.map((c) => JSON.stringify(cardOf(c.body)).match(/Report (\d+)/)?.[1])).toEqual(["4"]);
    expect(connector.failed.filter((f) => f.method === "PUT" && f.conversationId === "19:edits@thread.tacv2")).toHaveLength(2);
  });

  it("answers a crowd asking at once in one chat, through the real bot process, each once, even when Teams throttles", async () => {
    const url = `http://127.0.0.1:${proc.server.port}/api/messages`;
    connector.fail("POST", 429, 1);
    const asked = ["latency", "429s gpt-4o-mini", "tokens by deployment 7d"].map((text) => personalMessage(connector.url, text, { conversation: { id: "a:crowd", conversationType: "personal" } }));
    const statuses = await Promise.all(asked.map((a) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(a) }).then((r) => r.status)));
    expect(statuses).toEqual(asked.map(() => 200));
    const answers = connector.messages("a:crowd");
    expect(answers.map((c) => c.activityId).sort()).toEqual(asked.map((a) => String(a.id)).sort());
    expect(connector.failed.filter((f) => f.conversationId === "a:crowd")).toHaveLength(1);
  });

  it("let no failure above escape as an unhandled rejection (the process stays up)", () => {
    expect(unhandled).toEqual([]);
  });
});
