import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { cardOf, FakeBotConnector } from "../fakes/bot-connector.ts";
import { SCENARIO_NOW, SCENARIOS } from "./scenarios.ts";
import { visibleText } from "./visible-text.ts";

let connector: FakeBotConnector;
let proc: BotProcess;

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-scn-")), "t.sqlite") }, host: "127.0.0.1", source: "demo", now: SCENARIO_NOW });
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
});

describe("Teams driver (personal chat)", () => {
  it.each(SCENARIOS.map((s, i) => ({ ...s, conversation: `a:scenario-${i}` })))("$name", async (scenario) => {
    const activity = personalMessage(connector.url, scenario.say, { conversation: { id: scenario.conversation, conversationType: "personal" } });
    const res = await fetch(`http://127.0.0.1:${proc.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    expect(res.status).toBe(200);
    const reply = await connector.waitFor(() => connector.messages(scenario.conversation)[0]);
    const seen = visibleText(cardOf(reply.body));
    for (const t of scenario.shows) expect(seen).toContain(t);
    for (const t of scenario.never ?? []) expect(seen).not.toContain(t);
    if (scenario.kind === "error") expect(seen).toContain("⚠️");
  });
});
