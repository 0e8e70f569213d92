// Follow-ups through the real Teams adapter: a personal chat is one conversation, so its second
// message changes the first question; another chat knows nothing of it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import { cardOf, FakeBotConnector } from "../../fakes/bot-connector.ts";
import { personalMessage } from "./activities.ts";

let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  const env = { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-teams-fu-")), "t.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false });
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
});

async function say(text: string, chat: string): Promise<string> {
  const activity = personalMessage(connector.url, text, { conversation: { id: chat, conversationType: "personal", tenantId: "tenant-1" } });
  await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  const reply = await connector.waitFor(() => connector.calls.filter((c) => c.activityId === activity.id && c.body.type === "message").at(-1));
  return JSON.stringify(cardOf(reply.body));
}

describe("follow-ups in a Teams personal chat", () => {
  it("changes the chat's previous question, and leaves other chats alone", async () => {
    expect(await say("tokens gpt-4o last hour", "a:fu-chat-1")).toContain("Understood: Tokens · gpt-4o · last 1 h");
    const yesterday = await say("what about yesterday?", "a:fu-chat-1");
    expect(yesterday).toContain("Understood: Tokens · gpt-4o · yesterday (vs the day before)");
    expect(yesterday).toContain("2026-11-28T00:00:00Z/2026-11-29T00:00:00Z");
    expect(await say("and for gpt-4o-mini?", "a:fu-chat-1")).toContain("Understood: Tokens · gpt-4o-mini · yesterday");
    expect(await say("what about yesterday?", "a:fu-chat-2")).toContain("There is no earlier question here");
  });
});
