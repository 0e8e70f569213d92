// Where the server listens: loopback unless a chat service must reach the process; HOST overrides.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";

const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 };
const store = () => join(mkdtempSync(join(tmpdir(), "aoai-host-")), "h.sqlite");
let proc: BotProcess | undefined;
let slack: FakeSlackApi | undefined;

afterEach(async () => {
  await proc?.stop();
  await slack?.close();
  proc = undefined;
  slack = undefined;
});

describe("the address the bot listens on", () => {
  it("is loopback for the demo and playground, with no chat credentials", async () => {
    proc = await startBotProcess(config, { env: { AOAI_SQLITE_FILE: store() }, source: "demo", runSchedules: false });
    expect(proc.server.host).toBe("127.0.0.1");
  });

  it("is every interface when Slack must reach /slack/events", async () => {
    slack = await new FakeSlackApi().start();
    proc = await startBotProcess(config, { env: { AOAI_SQLITE_FILE: store(), SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` }, source: "demo", runSchedules: false });
    expect(proc.server.host).toBe("0.0.0.0");
    // the app asks Slack who it is as it starts: let that finish before the fake closes
    await slack.waitFor(() => slack?.calls.find((c) => c.method === "auth.test"));
  });

  it("is what HOST says, whatever is configured", async () => {
    proc = await startBotProcess(config, { env: { AOAI_SQLITE_FILE: store(), HOST: "0.0.0.0" }, source: "demo", runSchedules: false });
    expect(proc.server.host).toBe("0.0.0.0");
  });
});

describe("in production (the container image)", () => {
  it("starts without Teams when no client id is set, instead of failing on the SDK's production check", async () => {
    proc = await startBotProcess(config, { env: { AOAI_SQLITE_FILE: store(), NODE_ENV: "production" }, source: "demo", runSchedules: false });
    expect(proc.platforms.map((p) => p.name)).not.toContain("teams");
    expect(proc.platforms.map((p) => p.name)).toContain("web");
  });
});
