// The server reads each configured resource's lookups (metric definitions, deployment facts) once
// at start and then keeps reading them, so the first question after start, and a burst at any time,
// never waits on them. In the background: start is never delayed or failed by it; when Azure
// refuses or is down, questions look the resources up themselves as they would without it.
import type { Logger } from "../log/logger.ts";
import type { QueryService } from "../queries/service.ts";

/**
 * How often the lookups are read: more often than LOOKUP_REFRESH_AFTER_MS (40 s), so each tick
 * finds them old enough to be read again in the background while the current ones are served, and
 * never older than their 60 s ttl (a model deployed a minute ago is askable a minute later).
 * Costs 2 reads per resource per 40 s (180 an hour) against Resource Manager's 25 reads/s refill.
 */
export const LOOKUP_WARM_UP = { everyMs: 20_000 } as const;

export interface LookupWarmUp {
  /** The first read at start, settled either way (never rejects): what the benchmark waits for. */
  readonly first: Promise<void>;
  stop(): void;
}

export function startLookupWarmUp(service: QueryService, logger: Logger, everyMs: number = LOOKUP_WARM_UP.everyMs): LookupWarmUp {
  const log = logger.child({ component: "lookup-warm-up" });
  let failing = false;
  const read = (first: boolean) =>
    service.resources().then(
      (resources) => {
        if (first || failing) log.debug({ resources: resources.length, deployments: resources.reduce((n, r) => n + r.deployments.length, 0) }, "resource lookups read");
        failing = false;
      },
      (err: unknown) => {
        // said once per run of failures: a question asked meanwhile reads them itself and says what Azure answered
        if (!failing) log.warn({ err: err instanceof Error ? err.message : String(err) }, "could not read the resources' lookups in the background; questions will read them as they come");
        failing = true;
      },
    );
  const first = read(true);
  const timer = setInterval(() => void read(false), everyMs);
  // a process that is stopping is never kept up by its warm-up
  timer.unref();
  return {
    first,
    stop: () => {
      clearInterval(timer);
    },
  };
}
