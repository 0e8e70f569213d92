import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { cardOf, FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { sendSigned, SIGNING_SECRET, slashCommand } from "../fakes/slack-request.ts";
import { visibleText } from "../scenarios/visible-text.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const sqlite = join(mkdtempSync(join(tmpdir(), "aoai-cmd-")), "s.sqlite");
let slack: FakeSlackApi;
let connector: FakeBotConnector;
let proc: BotProcess;

// schedule changes need a rule (the default policy lets people read schedules, not change them)
const SCHEDULERS = { rules: [{ name: "schedulers", platform: "slack" as const, allow: ["ask", "schedule"] as const, scope: {} }] };
const start = () => startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0, access: SCHEDULERS }, { env: { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: sqlite }, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false });
async function slash(text: string, channel = "C0OPS"): Promise<string> {
  const res = await sendSigned(`http://127.0.0.1:${proc.server.port}/slack/events`, slashCommand(text, { channel_id: channel, response_url: `${slack.url}/hooks/x` }));
  return visibleText((JSON.parse(res.body) as { blocks: unknown }).blocks);
}

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  connector = await new FakeBotConnector().start();
  proc = await start();
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
  await connector.close();
});

describe("schedules managed from Slack", () => {
  let id = "";

  it("creates a daily summary for the channel and shows its next runs in both zones", async () => {
    const reply = await slash("schedule daily 09:00 Europe/Berlin");
    id = /Daily summary scheduled: (daily-[0-9a-f]+)/.exec(reply)?.[1] ?? "";
    expect(id).not.toBe("");
    expect(reply).toContain("Every day at *09:00 Europe/Berlin* in this channel.");
    // the schedule's zone, and a Slack date token that shows the reader's own zone
    expect(reply).toContain("Mon 30 Nov 09:00 Europe/Berlin (<!date^1796025600^{date_short_pretty} {time}|2026-11-30T08:00:00.000Z> your time)");
  });

  it("lists this channel's schedules, and nothing of another channel's", async () => {
    expect(await slash("schedule list")).toContain(`*${id}*: summary, cron \`0 9 * * *\` in Europe/Berlin`);
    expect(await slash("schedule list", "C0ELSEWHERE")).toContain("No schedules post to this channel yet.");
  });

  it("only lets the channel's own people change it", async () => {
    expect(await slash(`schedule delete ${id}`, "C0ELSEWHERE")).toContain(`This channel has no schedule "${id}"`);
    expect((await proc.book.find(id))?.paused).toBe(false);
  });

  it("pauses and resumes it", async () => {
    expect(await slash(`schedule pause ${id}`)).toContain(`Schedule ${id} paused`);
    expect(await slash("schedule list")).toContain("paused");
    expect(await slash(`schedule resume ${id}`)).toContain("Next runs:");
    expect((await proc.book.find(id))?.paused).toBe(false);
  });

  it("survives a restart, and can be deleted", async () => {
    await proc.stop();
    proc = await start();
    expect((await proc.book.find(id))?.post).toEqual([{ platform: "slack", channel: "C0OPS" }]);
    expect(await slash(`schedule delete ${id}`)).toContain(`Schedule ${id} deleted`);
    expect(await proc.book.find(id)).toBeUndefined();
  });
});

describe("schedules managed from Teams", () => {
  it("creates one from the same words and lists it with times in the reader's zone", async () => {
    const conversation = "a:teams-schedules";
    const post = (text: string) => fetch(`http://127.0.0.1:${proc.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(personalMessage(connector.url, text, { conversation: { id: conversation, conversationType: "personal" } })) });
    await post("schedule daily 07:30 America/New_York");
    await post("schedule list");
    const [created, listed] = connector.messages(conversation).map((c) => visibleText(cardOf(c.body)));
    expect(created).toContain("Every day at **07:30 America/New_York** in this channel.");
    expect(listed).toContain("cron 30 7 * * * in America/New_York");
    expect(listed).toContain("{{DATE(2026-11-30T12:30:00Z, SHORT)}} {{TIME(2026-11-30T12:30:00Z)}} your time");
    expect((await proc.book.all()).some((s) => s.post.some((t) => t.platform === "teams" && t.conversation === conversation))).toBe(true);
  });
});
