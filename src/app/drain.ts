// How a bot process stops: it takes no new work (not ready, no new connections), lets what it
// accepted finish within a bound (answers being worked out, reports being made), hands back the
// schedule slots it could not finish so another replica takes them over at once, then closes.
import type { Logger } from "../log/logger.ts";
import type { ReportRunner } from "../schedules/runner.ts";
import type { Scheduler } from "../schedules/scheduler.ts";
import { ConfigError } from "./config-error.ts";
import { finishesWithin, type InFlight } from "./in-flight.ts";
import type { Readiness } from "./readiness.ts";
import type { HttpServer } from "./server.ts";

export const DRAIN_ENV = "AOAI_DRAIN_MS";
/** Below Kubernetes' 30 s terminationGracePeriodSeconds (and Container Apps' default), which ends in SIGKILL. */
export const DEFAULT_DRAIN_MS = 20_000;
/** Each close gets what is left of the drain, and at least this long, so a hung connection can't hold the exit. */
const CLOSE_AT_LEAST_MS = 1_000;

export function drainFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env[DRAIN_ENV]?.trim();
  if (!raw) return DEFAULT_DRAIN_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new ConfigError(DRAIN_ENV, `${DRAIN_ENV} must be a whole number of milliseconds (e.g. ${DRAIN_ENV}=${DEFAULT_DRAIN_MS}), not "${raw}"`);
  return ms;
}

export interface StopReport {
  /** Everything in flight finished within the bound. */
  readonly drained: boolean;
  /** Schedule slots handed back unfinished (their lease released for another replica). */
  readonly released: readonly string[];
}

export interface DrainParts {
  readonly readiness: Readiness;
  readonly server: HttpServer;
  readonly scheduler: Scheduler;
  readonly runner: ReportRunner;
  readonly inFlight: InFlight;
  readonly logger: Logger;
  /** Closes everything the process opened, newest first, each within `boundMs`; says what failed first. */
  readonly close: (boundMs: () => number) => Promise<Error | undefined>;
  /** Gives up every message still waiting in the platforms' outbound lanes (each logged and counted dropped); returns how many. */
  readonly abandon?: (reason: string) => number;
}

export async function drainAndClose(parts: DrainParts, drainMs: number): Promise<StopReport> {
  const { readiness, server, scheduler, runner, inFlight, logger } = parts;
  const deadline = Date.now() + drainMs;
  const under = () => `finishing ${plural(inFlight.size, "answer")} and ${plural(scheduler.runningCount, "report")} before exit`;
  readiness.drain(under);
  server.drain();
  if (inFlight.size + scheduler.runningCount > 0) logger.info({ drainMs }, `stopping: ${under()}`);
  const drained = await finishesWithin(Promise.allSettled([scheduler.stop(), inFlight.idle()]), drainMs);
  if (!drained) logger.warn({ drainMs, left: under() }, `stopping: ${DRAIN_ENV} ran out with work unfinished`);
  const released = await runner.releaseUnfinished().catch((err: unknown) => {
    // the leases then run out on their own (AOAI_RUN_LEASE_MS) and another replica takes over later
    logger.error({ err }, "could not release unfinished schedule slots");
    return [];
  });
  // platforms finish their own last deliveries as they stop (Teams' edited-in answers): within the drain;
  // what still waits in their lanes when it runs out is given up, each said and counted, not lost with the process
  const abandonAt = Math.max(deadline, Date.now() + CLOSE_AT_LEAST_MS);
  const abandoning = setTimeout(() => {
    const given = parts.abandon?.(`${DRAIN_ENV} (${drainMs} ms) ran out before its turn`) ?? 0;
    if (given > 0) logger.warn({ drainMs, messages: given }, `stopping: ${plural(given, "message")} still waiting to be sent given up (each logged above)`);
  }, abandonAt - Date.now());
  const failed = await parts.close(() => Math.max(deadline - Date.now(), CLOSE_AT_LEAST_MS)).finally(() => {
    clearTimeout(abandoning);
  });
  if (failed) throw failed;
  return { drained, released };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
