import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { eventCallback, sendSigned, SIGNING_SECRET } from "../fakes/slack-request.ts";
import { SCENARIO_NOW, SCENARIOS } from "./scenarios.ts";
import { visibleText } from "./visible-text.ts";

let slack: FakeSlackApi;
let proc: BotProcess;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-scn-")), "s.sqlite") };
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: SCENARIO_NOW });
});
afterAll(async () => {
  await proc.stop();
  await slack.close();
});

describe("Slack driver (DMs)", () => {
  it.each(SCENARIOS.map((s, i) => ({ ...s, channel: `D${String(i).padStart(4, "0")}` })))("$name", async (scenario) => {
    await sendSigned(`http://127.0.0.1:${proc.server.port}/slack/events`, eventCallback({ type: "message", channel_type: "im", user: "U0001", text: scenario.say, ts: "1764400000.000100", channel: scenario.channel }));
    const post = await slack.waitFor(() => slack.posts("chat.postMessage").find((c) => c.args.channel === scenario.channel));
    const seen = visibleText(post.args.blocks);
    for (const t of scenario.shows) expect(seen).toContain(t);
    for (const t of scenario.never ?? []) expect(seen).not.toContain(t);
    if (scenario.kind === "error") expect(seen).toContain("⚠️");
  });
});
