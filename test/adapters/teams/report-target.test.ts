// Scheduled reports go to the conversation the schedule names and nowhere else: a group chat renamed
// to a victim's conversation id, or a channel named like an admin's alias, gets none of them.
import { mkdtempSync } from "node:fs";
import { teamsPlatform } from "../../../src/adapters/teams/platform.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TeamsReportPoster } from "../../../src/adapters/teams/report-poster.ts";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { message } from "../../../src/bot/message.ts";
import type { Schedule } from "../../../src/schedules/schedule.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { botAdded, channelMention, personalMessage } from "./activities.ts";

const VICTIM = "19:victim@thread.tacv2";
const OPS = "19:ops-real@thread.tacv2";
const RENAMED_CHAT = "19:attacker-chat@thread.v2";
const LOOKALIKE_CHANNEL = "19:evil-ops@thread.tacv2";
const SLOT = new Date("2026-11-28T08:00:00Z");

let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;

const schedule = (name: string, conversation: string): Schedule => ({ name, cron: "0 9 * * *", timezone: "Europe/Berlin", report: { kind: "summary" }, post: [{ platform: "teams", conversation }], paused: false, origin: "config" });
const post = (body: unknown) => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const reportsIn = (conversation: string) => connector.messages(conversation).filter((c) => JSON.stringify(cardOf(c.body) ?? {}).includes("Daily summary"));

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, teamsChannels: new Map([["ops", OPS]]) };
  proc = await startBotProcess(config, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-target-")), "t.sqlite") }, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false });
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;

  // the attackers speak first (names used to be first come, first kept)
  const renamed = personalMessage(connector.url, "<at>aoai</at> latency", { conversation: { id: RENAMED_CHAT, conversationType: "groupChat", isGroup: true, name: VICTIM, tenantId: "tenant-1" } });
  const lookalike = channelMention(connector.url, "latency", `${LOOKALIKE_CHANNEL};messageid=1700000000009`);
  lookalike.channelData = { tenant: { id: "tenant-1" }, team: { id: "19:evil-team@thread.tacv2", name: "ops" }, channel: { id: LOOKALIKE_CHANNEL, name: "ops" } };
  for (const a of [renamed, lookalike, botAdded(connector.url, VICTIM), botAdded(connector.url, OPS)]) expect((await post(a)).status).toBe(200);
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
});

describe("where a scheduled Teams report goes", () => {
  it("to the conversation id the schedule names, not to a chat renamed to that id", async () => {
    await proc.runner.runSlot(schedule("victim-daily", VICTIM), SLOT);
    expect(reportsIn(VICTIM)).toHaveLength(1);
    expect(reportsIn(RENAMED_CHAT)).toHaveLength(0);
  });

  it("to the conversation the admin configured for a name, not to a channel that calls itself that", async () => {
    await proc.runner.runSlot(schedule("ops-daily", "OPS"), SLOT);
    expect(reportsIn(OPS)).toHaveLength(1);
    expect(reportsIn(LOOKALIKE_CHANNEL)).toHaveLength(0);
  });

  it("nowhere, with a clear reason, for a name nobody configured or a conversation the bot was never in", async () => {
    const poster = new TeamsReportPoster(proc.adapter(teamsPlatform)!.adapter, proc.store, undefined, new Map([["ops", OPS]]));
    const report = message("report", "info", "Daily summary");
    await expect(poster.post({ platform: "teams", conversation: "finance" }, report)).rejects.toThrow('no Teams channel named "finance" is configured; add it under teams.channels');
    await expect(poster.post({ platform: "teams", conversation: "19:never-added@thread.tacv2" }, report)).rejects.toThrow("no stored Teams conversation");
    expect(connector.messages("19:never-added@thread.tacv2")).toHaveLength(0);
  });
});
