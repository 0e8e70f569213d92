// One real bot process whose every log line is kept: Slack over HTTP against the fake Web API, Teams
// in local mode against the fake Bot Connector, the demo's simulated Azure. The request-id and
// /metrics tests watch the same process from two sides (its log lines, its Prometheus text).
import type { BotProcess } from "../../src/app/bot-process.ts";
import { startSlackBot } from "../adapters/slack/slack-bot.ts";
import { FakeBotConnector } from "../fakes/bot-connector.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { captureLogger, type CapturedLogger } from "./capture-logger.ts";

export interface ObservedBot {
  readonly slack: FakeSlackApi;
  readonly connector: FakeBotConnector;
  readonly proc: BotProcess;
  readonly base: string;
  /** The Slack Events API URL of the process. */
  readonly events: string;
  readonly log: CapturedLogger;
  readonly close: () => Promise<void>;
}

export async function startObservedBot(): Promise<ObservedBot> {
  const slack = await new FakeSlackApi().start();
  const connector = await new FakeBotConnector().start();
  const log = captureLogger({ level: "debug" });
  const { proc, base, events } = await startSlackBot(slack, {}, log.logger);
  const close = async () => {
    await proc.stop();
    await Promise.all([slack.close(), connector.close()]);
  };
  return { slack, connector, proc, base, events, log, close };
}
