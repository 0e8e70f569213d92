// With the store down (a real PostgresStore pointed at a port nothing listens on), Teams users still
// get answers (without the redelivery check, which is logged), and are told when something cannot
// be done, instead of a 200 and silence.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTeamsSettings } from "../../../src/adapters/teams/settings.ts";
import { startTeams, type TeamsAdapter } from "../../../src/adapters/teams/teams-app.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { createQuerySource } from "../../../src/app/query-source.ts";
import { teamsPlatform } from "../../../src/adapters/teams/platform.ts";
import { Bot } from "../../../src/bot/bot.ts";
import { Conversation } from "../../../src/bot/conversation.ts";
import { scheduleCommand } from "../../../src/schedules/chat-command.ts";
import { ScheduleCommands } from "../../../src/schedules/commands.ts";
import { ScheduleBook } from "../../../src/schedules/schedule-book.ts";
import { PostgresStore } from "../../../src/store/postgres-store.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { botAdded, cardAction, personalMessage } from "./activities.ts";
import { captureLogger } from "../../support/capture-logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const log = captureLogger();
let connector: FakeBotConnector;
let store: PostgresStore;
let teams: TeamsAdapter;
let server: Server;
let endpoint: string;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  store = new PostgresStore("postgres://aoai@127.0.0.1:1/test", log.logger);
  const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 };
  const app = express();
  teams = startTeams({
    settings: readTeamsSettings({}),
    conversation: new Conversation(new Bot(createQuerySource(config, { source: "demo", now: NOW }).service, log.logger), [
      scheduleCommand(new ScheduleCommands({ book: new ScheduleBook(store, []), defaultZone: "UTC", now: () => NOW }), (place) => teamsPlatform.targetFor(place)),
    ]),
    store,
    http: app,
    logger: log.logger,
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
});
afterAll(async () => {
  await teams.idle();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  await connector.close();
});

const post = (body: unknown) => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const cardText = (conversation: string) => connector.messages(conversation).map((c) => JSON.stringify(cardOf(c.body) ?? c.body.text));

describe("Teams while the store is down", () => {
  it("still answers a question, and logs that the redelivery check was skipped", async () => {
    const activity = personalMessage(connector.url, "latency", { conversation: { id: "a:outage-question", conversationType: "personal" } });
    expect((await post(activity)).status).toBe(200);
    expect(cardText("a:outage-question")).toEqual([expect.stringContaining("Latency — last 1 h")]);
    expect(log.entries()).toContainEqual(expect.objectContaining({ level: "warn", msg: "store unavailable, answering without the redelivery check", activity: activity.id }));
    expect(log.entries()).toContainEqual(expect.objectContaining({ msg: "store unavailable, conversation not remembered for scheduled reports", conversation: "a:outage-question" }));
  });

  it("greets when added", async () => {
    expect((await post(botAdded(connector.url, "19:outage-team@thread.tacv2"))).status).toBe(200);
    expect(cardText("19:outage-team@thread.tacv2")).toEqual([expect.stringContaining("is anything failing?")]);
  });

  it("tells the user when what they asked for needs the store", async () => {
    const activity = personalMessage(connector.url, "schedule list", { conversation: { id: "a:outage-schedules", conversationType: "personal" } });
    expect((await post(activity)).status).toBe(200);
    const [said] = cardText("a:outage-schedules");
    // the one conversation's wording for a failure, as in Slack
    expect(said).toContain("something went wrong on my side");
    expect(said).toContain("give the reference to whoever runs the bot");
    const reference = /Reference: `?(\w+)/.exec(said ?? "")?.[1];
    expect(reference).toBeDefined();
    expect(log.entries().some((e) => e.level === "error" && e.reference === reference)).toBe(true);
  });

  it("still answers a card button", async () => {
    const res = await post(cardAction(connector.url, { kind: "window", text: "latency", minutes: 1440 }));
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain("Latency — last 24 h");
  });
});
