// Wires one bot process: query source, Bot, the conversation (with its "schedule" command), store,
// the HTTP server and every platform of the platform table that is configured. main.ts runs it;
// tests start it on port 0 with fakes of the remote services, and may add platform rows.
import type { AccessPolicy } from "../access/policy.ts";
import { Bot } from "../bot/bot.ts";
import type { Conversation } from "../bot/conversation.ts";
import { ConversationContexts } from "../bot/context.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { secretValues } from "../log/redact.ts";
import { AuditLog } from "../audit/audit-log.ts";
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
import { accessPolicy } from "./access-policy.ts";
import { tableCommands } from "./chat-commands.ts";
import type { Config } from "./config.ts";
import type { AnyPlatform, ConfiguredPlatform, Platform, PlatformOptions, RunningPlatform } from "./platform.ts";
import { PLATFORMS } from "./platforms.ts";
import { createQuerySource, type QuerySource, type SourceOptions } from "./query-source.ts";
import { Readiness } from "./readiness.ts";
import { startServer, type HttpServer } from "./server.ts";
import { BotMetrics } from "../metrics/bot-metrics.ts";
import { metricsTokenFrom, mountMetrics } from "../metrics/metrics-route.ts";
import { drainAndClose, drainFromEnv, type StopReport } from "./drain.ts";
import { finishesWithin, InFlight } from "./in-flight.ts";
import { TrackedConversation } from "./tracked-conversation.ts";
import { PostgresStore } from "../store/postgres-store.ts";
import { stopChartPictures } from "../adapters/chart-png.ts";

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
  /** Every turn's audit row, the retention purge and the `audit` command. */
  readonly audit: AuditLog;
  /** Who may ask what, where; platforms have told it their organisations by the time the process is returned. */
  readonly access: AccessPolicy;
  /** This process's Prometheus metrics (GET /metrics). */
  readonly metrics: BotMetrics;
  /** The platforms that started, in table order. */
  readonly platforms: readonly { readonly name: string; readonly running: RunningPlatform }[];
  /** A started platform's adapter (undefined when that platform is not configured). */
  adapter<H, T extends { readonly platform: string }>(row: Platform<H, T>): H | undefined;
  /**
   * Stops gracefully: not ready and no new requests, then in-flight answers and running reports
   * get `drainMs` (default AOAI_DRAIN_MS, 20 s) to finish; slots still unfinished are released for
   * another replica; then everything closes. Called again, it returns the same stop.
   */
  shutdown(options?: { readonly drainMs?: number }): Promise<StopReport>;
  /** shutdown(), for callers that only wait for it. */
  stop(options?: { readonly drainMs?: number }): Promise<void>;
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
  const drainMs = drainFromEnv(env);
  const metricsToken = metricsTokenFrom(env);
  // settings first: a misconfigured platform is a ConfigError before anything is opened
  const configured: { row: AnyPlatform; platform: ConfiguredPlatform }[] = [];
  for (const row of table) {
    const platform = await row.configure({ config, env, options });
    if (platform) configured.push({ row, platform });
  }
  // this process's own registry: tests run several processes in one worker
  const metrics = new BotMetrics();
  const source = createQuerySource(config, { ...options, observeAzure: metrics.azureRequest, onCacheHit: metrics.cacheHit });
  const logger = options.logger ?? sharedLogger();
  const bot = new Bot(source.service, logger, { verdict: config.verdict, tables: source.tables });
  const store = openStore(env, logger);
  // everything started so far, closed newest first when a later step fails: a process that could
  // not start must not keep a port, a pool or a socket open and look alive
  const opened: (() => Promise<void>)[] = [() => store.close(), stopChartPictures];
  /** Closes everything, even past a failing step; says what failed first. */
  const closeOpened = async (boundMs?: () => number): Promise<Error | undefined> => {
    let first: Error | undefined;
    for (const close of opened.splice(0).reverse()) {
      const closing = close().catch((err: unknown) => (first ??= err instanceof Error ? err : new Error(String(err))));
      await (boundMs === undefined ? closing : finishesWithin(closing, boundMs()));
    }
    return first;
  };
  try {
    await store.ping().catch((err: unknown) => {
      throw new StoreUnavailableError(`the store cannot be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    const platforms: { name: string; running: RunningPlatform }[] = [];
    const storeKind = store instanceof PostgresStore ? "PostgreSQL" : "SQLite";
    const readiness = new Readiness(
      {
        store: { subject: storeKind, probe: () => store.ping().then(() => `${storeKind} answering`) },
        credential: source.credentialReady,
        adapters: () => adaptersStarted(configured.map((c) => c.row.name), platforms),
      },
      options.readinessTimeoutMs,
    );
    // loopback unless a chat service must reach us (demo, playground, console): HOST overrides
    const host = options.host ?? (env.HOST !== undefined && env.HOST !== "" ? env.HOST : configured.some((c) => c.platform.reachedFromOutside === true) ? "0.0.0.0" : "127.0.0.1");
    const server = await startServer(config.port, host, () => ({ source: source.name, ...Object.fromEntries(table.map((row) => [row.name, configured.some((c) => c.row === row)])) }), () => readiness.report());
    opened.push(() => server.close());
    mountMetrics(server.app, metrics, metricsToken);
    const book = new ScheduleBook(store, [...config.schedules, ...demoSchedules(config, source.name, configured)]);
    // chat commands tell the scheduler (created below, once the posters exist) to pick up changes
    const started: { scheduler?: Scheduler } = {};
    const scheduleCommands = new ScheduleCommands({ book, defaultZone: config.timezone, changed: () => started.scheduler?.sync() ?? Promise.resolve(), ...(options.now ? { now: () => options.now ?? new Date() } : {}) });
    // follow-ups' context is in the store, so it holds whichever replica answers the next message
    const contexts = new ConversationContexts(store, { logger, ...(options.contextClock ? { clock: options.contextClock } : {}) });
    const access = accessPolicy(config);
    const inFlight = new InFlight();
    // every turn's who/where/what in the store, written after the answer (the answer never waits on it)
    const audit = new AuditLog({ store, retentionDays: config.audit.retentionDays, logger, secrets: secretValues(env) }).start();
    opened.push(() => audit.stop());
    const conversation = new TrackedConversation(inFlight, bot, [scheduleCommand(scheduleCommands, (place) => targetFor(table, place)), ...tableCommands(bot, config, logger), audit.command], { contexts, access, observers: [audit.recorder.observer, metrics.turn] });
    for (const { row, platform } of configured) {
      const running = await platform.start({ config, env, options, conversation, store, http: server.app, port: server.port, access, observeDelivery: metrics.delivery });
      opened.push(() => running.stop());
      platforms.push({ name: row.name, running });
    }
    const posters: Record<string, ReportPoster> = {};
    for (const { name, running } of platforms) if (running.poster) posters[name] = running.poster;
    const runner = new ReportRunner({ store, service: source.service, access, logAbsence: await source.absence(), posters, logger, onRun: metrics.scheduleRun, ...(options.owner ? { owner: options.owner } : {}) });
    const running = new Scheduler({ runner, book, store, logger });
    started.scheduler = running;
    opened.push(() => running.stop());
    if (options.runSchedules ?? true) await running.start();
    let stopping: Promise<StopReport> | undefined;
    const shutdown = (o: { readonly drainMs?: number } = {}) => (stopping ??= drainAndClose({ readiness, server, scheduler: running, runner, inFlight, logger, close: closeOpened, abandon: (reason) => platforms.reduce((given, p) => given + (p.running.abandon?.(reason) ?? 0), 0) }, o.drainMs ?? drainMs));
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
      audit,
      access,
      metrics,
      shutdown,
      stop: async (o) => {
        await shutdown(o);
      },
    };
  } catch (err) {
    await closeOpened();
    throw err;
  }
}

/** /readyz: every configured chat platform finished starting (the Teams adapter made), and says it can work (Slack's token accepted). */
async function adaptersStarted(configured: readonly string[], started: readonly { readonly name: string; readonly running: RunningPlatform }[]): Promise<string> {
  const waiting = configured.filter((name) => !started.some((p) => p.name === name));
  if (waiting.length > 0) throw new Error(`${waiting.join(", ")} not started yet`);
  if (started.length === 0) return "no chat platform configured";
  const said = await Promise.all(
    started.map(async ({ name, running }) => {
      if (!running.ready) return `${name} started`;
      try {
        return `${name}: ${await running.ready()}`;
      } catch (err) {
        throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    }),
  );
  return said.join(", ");
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
