// Wires one bot process: query source, Bot, the conversation (with its "schedule" command), store,
// the HTTP server and every platform of the platform table that is configured. main.ts runs it;
// tests start it on port 0 with fakes of the remote services, and may add platform rows.
import { Bot } from "../bot/bot.ts";
import { Conversation } from "../bot/conversation.ts";
import { ConversationContexts } from "../bot/context.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { scheduleCommand } from "../schedules/chat-command.ts";
import { ScheduleCommands } from "../schedules/commands.ts";
import type { ReportPoster } from "../schedules/poster.ts";
import { ReportRunner } from "../schedules/runner.ts";
import type { Schedule, Target } from "../schedules/schedule.ts";
import { ScheduleBook } from "../schedules/schedule-book.ts";
import { Scheduler } from "../schedules/scheduler.ts";
import { openStore } from "../store/open-store.ts";
import { StoreUnavailableError } from "../store/store-error.ts";
import type { Store } from "../store/store.ts";
import { tableCommands } from "./chat-commands.ts";
import type { Config } from "./config.ts";
import type { AnyPlatform, ConfiguredPlatform, Platform, PlatformOptions, RunningPlatform } from "./platform.ts";
import { PLATFORMS } from "./platforms.ts";
import { createQuerySource, type QuerySource, type SourceOptions } from "./query-source.ts";
import { Readiness } from "./readiness.ts";
import { startServer, type HttpServer } from "./server.ts";

export interface BotProcess {
  readonly source: QuerySource;
  readonly bot: Bot;
  /** The one conversation entry every platform calls. */
  readonly conversation: Conversation;
  readonly store: Store;
  readonly server: HttpServer;
  readonly runner: ReportRunner;
  readonly scheduler: Scheduler;
  readonly book: ScheduleBook;
  /** The platforms that started, in table order. */
  readonly platforms: readonly { readonly name: string; readonly running: RunningPlatform }[];
  /** A started platform's adapter (undefined when that platform is not configured). */
  adapter<H, T extends { readonly platform: string }>(row: Platform<H, T>): H | undefined;
  stop(): Promise<void>;
}

export interface BotProcessOptions extends SourceOptions, PlatformOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly host?: string;
  /** Run schedules (default true); `aoai report` and some tests run slots themselves. */
  readonly runSchedules?: boolean;
  /** This replica's ledger name (default: random). */
  readonly owner?: string;
  /** How long /readyz waits for each check (default READINESS_TIMEOUT_MS). */
  readonly readinessTimeoutMs?: number;
  /** The platform table (default PLATFORMS); tests add rows. */
  readonly platforms?: readonly AnyPlatform[];
  /** Epoch ms for follow-up contexts' expiry (default Date.now); tests move it on. */
  readonly contextClock?: () => number;
}

export async function startBotProcess(config: Config, options: BotProcessOptions = {}): Promise<BotProcess> {
  const env = options.env ?? process.env;
  const table = options.platforms ?? PLATFORMS;
  // settings first: a misconfigured platform is a ConfigError before anything is opened
  const configured: { row: AnyPlatform; platform: ConfiguredPlatform }[] = [];
  for (const row of table) {
    const platform = await row.configure({ config, env, options });
    if (platform) configured.push({ row, platform });
  }
  const source = createQuerySource(config, options);
  const logger = options.logger ?? sharedLogger();
  const bot = new Bot(source.service, logger, { verdict: config.verdict, tables: source.tables });
  const store = openStore(env, logger);
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
    // loopback unless a chat service must reach us (demo, playground, console): HOST overrides
    const host = options.host ?? (env.HOST !== undefined && env.HOST !== "" ? env.HOST : configured.some((c) => c.platform.reachedFromOutside === true) ? "0.0.0.0" : "127.0.0.1");
    const server = await startServer(config.port, host, () => ({ source: source.name, ...Object.fromEntries(table.map((row) => [row.name, configured.some((c) => c.row === row)])) }), () => readiness.report());
    opened.push(() => server.close());
    const book = new ScheduleBook(store, [...config.schedules, ...demoSchedules(config, source.name, configured)]);
    // chat commands tell the scheduler (created below, once the posters exist) to pick up changes
    const started: { scheduler?: Scheduler } = {};
    const scheduleCommands = new ScheduleCommands({ book, defaultZone: config.timezone, changed: () => started.scheduler?.sync() ?? Promise.resolve(), ...(options.now ? { now: () => options.now ?? new Date() } : {}) });
    // follow-ups' context is in the store, so it holds whichever replica answers the next message
    const contexts = new ConversationContexts(store, { logger, ...(options.contextClock ? { clock: options.contextClock } : {}) });
    const conversation = new Conversation(bot, [scheduleCommand(scheduleCommands, (place) => targetFor(table, place)), ...tableCommands(bot, config, logger)], { contexts });
    const platforms: { name: string; running: RunningPlatform }[] = [];
    for (const { row, platform } of configured) {
      const running = await platform.start({ config, env, options, conversation, store, http: server.app, port: server.port });
      opened.push(() => running.stop());
      platforms.push({ name: row.name, running });
    }
    const posters: Record<string, ReportPoster> = {};
    for (const { name, running } of platforms) if (running.poster) posters[name] = running.poster;
    const runner = new ReportRunner({ store, service: source.service, logAbsence: source.absence, posters, logger, ...(options.owner ? { owner: options.owner } : {}) });
    const running = new Scheduler({ runner, book, store, logger });
    started.scheduler = running;
    opened.push(() => running.stop());
    if (options.runSchedules ?? true) await running.start();
    return {
      source,
      bot,
      conversation,
      store,
      server,
      platforms,
      adapter: <H, T extends { readonly platform: string }>(row: Platform<H, T>) => platforms.find((p) => p.name === row.name)?.running.handle as H | undefined,
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

/** The configured platforms' built-in demo schedules (on the demo source only), except names configuration already uses. */
function demoSchedules(config: Config, source: string, configured: readonly { readonly platform: ConfiguredPlatform }[]): Schedule[] {
  if (source !== "demo") return [];
  const taken = new Set(config.schedules.map((s) => s.name.toLowerCase()));
  return configured.flatMap((c) => c.platform.demoSchedules ?? []).filter((s) => !taken.has(s.name.toLowerCase()));
}

/** Where a "schedule …" typed at `place` posts: the Target its platform's row maps it to. */
function targetFor(table: readonly AnyPlatform[], place: { readonly platform: string }): Target | undefined {
  const row = table.find((p) => p.name === place.platform);
  // a row's target is one of the platform table's Targets; rows tests add post nowhere real
  return row?.targetFor(place) as Target | undefined;
}
