// One real bot process with Slack in HTTP mode against the fake Slack Web API, as the Slack tests start it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBotProcess, type BotProcess } from "../../../src/app/bot-process.ts";
import { loadConfig } from "../../../src/app/config.ts";
import type { Logger } from "../../../src/log/logger.ts";
import type { FakeSlackApi } from "../../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../../fakes/slack-request.ts";

export const NOW = new Date("2026-11-29T10:00:00Z");

export async function startSlackBot(slack: FakeSlackApi, extraEnv: Record<string, string> = {}, logger?: Logger): Promise<{ proc: BotProcess; events: string; base: string }> {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-slack-")), "s.sqlite"), ...extraEnv };
  const proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, runSchedules: false, ...(logger ? { logger } : {}) });
  const base = `http://127.0.0.1:${proc.server.port}`;
  return { proc, events: `${base}/slack/events`, base };
}
