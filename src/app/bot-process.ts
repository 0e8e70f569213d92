// Wires one bot process: query source, Bot, store, the HTTP server and the chat adapters that are
// configured. main.ts runs it; tests start it on port 0 with fakes of the remote services.
import { startSlack, type SlackAdapter } from "../adapters/slack/slack-app.ts";
import { readSlackSettings } from "../adapters/slack/settings.ts";
import { readTeamsSettings } from "../adapters/teams/settings.ts";
import { startTeams, type TeamsAdapter } from "../adapters/teams/teams-app.ts";
import type { Writable } from "node:stream";
import type { AuthConfiguration, Connections } from "@microsoft/agents-hosting";
import { ConsoleReportPoster } from "../adapters/console/report-poster.ts";
import { SlackReportPoster } from "../adapters/slack/report-poster.ts";
import { TeamsReportPoster } from "../adapters/teams/report-poster.ts";
import { ScheduleCommands } from "../schedules/commands.ts";
import type { Posters } from "../schedules/poster.ts";
import { ReportRunner } from "../schedules/runner.ts";
import { ScheduleBook } from "../schedules/schedule-book.ts";
import { Scheduler } from "../schedules/scheduler.ts";
import { Bot } from "../bot/bot.ts";
import { openStore } from "../store/open-store.ts";
import { StoreUnavailableError } from "../store/store-error.ts";
import type { Store } from "../store/store.ts";
import type { Config } from "./config.ts";
import { createQuerySource, type QuerySource, type SourceOptions } from "./query-source.ts";
import { Readiness } from "./readiness.ts";
import { startServer, type HttpServer } from "./server.ts";

export interface BotProcess {
  readonly source: QuerySource;
  readonly bot: Bot;
  readonly store: Store;
  readonly server: HttpServer;
  readonly slack: SlackAdapter | undefined;
  readonly teams: TeamsAdapter;
  readonly runner: ReportRunner;
  readonly scheduler: Scheduler;
  readonly book: ScheduleBook;
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
  /** Run schedules (default true); `aoai report` and some tests run slots themselves. */
  readonly runSchedules?: boolean;
  /** This replica's ledger name (default: random). */
  readonly owner?: string;
  readonly consoleOut?: Writable;
  /** How long /readyz waits for each check (default READINESS_TIMEOUT_MS). */
  readonly readinessTimeoutMs?: number;
}

export async function startBotProcess(config: Config, options: BotProcessOptions = {}): Promise<BotProcess> {
  const env = options.env ?? process.env;
  const slackSettings = readSlackSettings(env);
  const teamsSettings = readTeamsSettings(options.teams?.authConfig);
  const source = createQuerySource(config, options);
  const bot = new Bot(source.service);
  const store = openStore(env);
  // everything started so far, closed newest first when a later step fails: a process that could
  // not start must not keep a port, a pool or a socket open and look alive
  const opened: (() => Promise<void>)[] = [() => store.close()];
  /** Closes everything, even past a failing step; says what failed first. */
  const closeOpened = async (): Promise<Error | undefined> => {
    let first: Error | undefined;
    for (const close of opened.splice(0).reverse()) await close().catch((err: unknown) => (first ??= err instanceof Error ? err : new Error(String(err))));
    return first;
  };
  try {
    await store.ping().catch((err: unknown) => {
      throw new StoreUnavailableError(`the store cannot be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    const readiness = new Readiness({ store: () => store.ping().then(() => "answering"), credential: source.credentialReady }, options.readinessTimeoutMs);
    const server = await startServer(config.port, options.host ?? "0.0.0.0", () => ({ source: source.name, slack: slackSettings !== undefined }), () => readiness.report());
    opened.push(() => server.close());
    const book = new ScheduleBook(store, config.schedules);
    // chat commands tell the scheduler (created below, once the posters exist) to pick up changes
    const started: { scheduler?: Scheduler } = {};
    const scheduleCommands = new ScheduleCommands({ book, defaultZone: config.timezone, changed: () => started.scheduler?.sync() ?? Promise.resolve(), ...(options.now ? { now: () => options.now ?? new Date() } : {}) });
    const slack = slackSettings ? await startSlack({ settings: slackSettings, bot, store, http: server.app, scheduleCommands, ...(options.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.inlineWaitMs }) }) : undefined;
    if (slack) opened.push(() => slack.stop());
    const teams = startTeams({
      settings: teamsSettings,
      bot,
      store,
      http: server.app,
      scheduleCommands,
      ...(options.teams?.outboundConnections ? { outboundConnections: options.teams.outboundConnections } : {}),
      ...(options.teams?.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.teams.inlineWaitMs }),
    });
    opened.push(() => teams.idle());
  const posters: Posters = {
    console: new ConsoleReportPoster(options.consoleOut ?? process.stdout),
    teams: new TeamsReportPoster(teams.adapter, store, teamsSettings.appId, config.teamsChannels),
    ...(slack ? { slack: new SlackReportPoster(slack.sender) } : {}),
  };
    const runner = new ReportRunner({ store, service: source.service, posters, ...(options.owner ? { owner: options.owner } : {}) });
    const running = new Scheduler({ runner, book, store });
    started.scheduler = running;
    opened.push(() => running.stop());
    if (options.runSchedules ?? true) await running.start();
    return {
      source,
      bot,
      store,
      server,
      slack,
      teams,
      teamsAuth: teamsSettings.appId !== undefined,
      runner,
      scheduler: running,
      book,
      stop: async () => {
        const failed = await closeOpened();
        if (failed) throw failed;
      },
    };
  } catch (err) {
    await closeOpened();
    throw err;
  }
}
