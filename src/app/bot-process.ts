// Wires one bot process: query source, Bot, store, the HTTP server and the chat adapters that are
// configured. main.ts runs it; tests start it on port 0 with fakes of the remote services.
import { startSlack, type SlackAdapter } from "../adapters/slack/slack-app.ts";
import { readSlackSettings } from "../adapters/slack/settings.ts";
import { readTeamsSettings } from "../adapters/teams/settings.ts";
import { startTeams, type TeamsAdapter } from "../adapters/teams/teams-app.ts";
import type { AuthConfiguration, Connections } from "@microsoft/agents-hosting";
import { Bot } from "../bot/bot.ts";
import { openStore } from "../store/open-store.ts";
import type { Store } from "../store/store.ts";
import type { Config } from "./config.ts";
import { createQuerySource, type QuerySource, type SourceOptions } from "./query-source.ts";
import { startServer, type HttpServer } from "./server.ts";

export interface BotProcess {
  readonly source: QuerySource;
  readonly bot: Bot;
  readonly store: Store;
  readonly server: HttpServer;
  readonly slack: SlackAdapter | undefined;
  readonly teams: TeamsAdapter;
  /** Whether Teams requests are authenticated (an app id is configured). */
  readonly teamsAuth: boolean;
  stop(): Promise<void>;
}

export interface BotProcessOptions extends SourceOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly host?: string;
  /** Slack answers quicker than this are posted directly (tests shorten it). */
  readonly inlineWaitMs?: number;
  readonly teams?: {
    /** Instead of the Agents SDK environment variables (tests). */
    readonly authConfig?: AuthConfiguration;
    /** Instead of MSAL for outbound tokens (tests). */
    readonly outboundConnections?: Connections;
    readonly inlineWaitMs?: number;
  };
}

export async function startBotProcess(config: Config, options: BotProcessOptions = {}): Promise<BotProcess> {
  const env = options.env ?? process.env;
  const slackSettings = readSlackSettings(env);
  const source = createQuerySource(config, options);
  const bot = new Bot(source.service);
  const store = openStore(env);
  const server = await startServer(config.port, options.host ?? "0.0.0.0", () => ({ source: source.name, slack: slackSettings !== undefined }));
  let slack: SlackAdapter | undefined;
  let teams: TeamsAdapter;
  const teamsSettings = readTeamsSettings(options.teams?.authConfig);
  try {
    slack = slackSettings ? await startSlack({ settings: slackSettings, bot, store, http: server.app, ...(options.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.inlineWaitMs }) }) : undefined;
    teams = startTeams({
      settings: teamsSettings,
      bot,
      store,
      http: server.app,
      ...(options.teams?.outboundConnections ? { outboundConnections: options.teams.outboundConnections } : {}),
      ...(options.teams?.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.teams.inlineWaitMs }),
    });
  } catch (err) {
    await server.close();
    await store.close();
    throw err;
  }
  return {
    source,
    bot,
    store,
    server,
    slack,
    teams,
    teamsAuth: teamsSettings.appId !== undefined,
    stop: async () => {
      await slack?.stop();
      await teams.idle();
      await server.close();
      await store.close();
    },
  };
}
