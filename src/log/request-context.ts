// The request id of whatever is running now, carried through every await without being passed
// along: an HTTP request (Slack, Teams), a console turn or a scheduled run starts one, and every log
// line written inside it (Azure calls, deliveries) carries it as `reqId` (pino-logger.ts mixin).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

const current = new AsyncLocalStorage<string>();

/** A short id people can quote and grep for. */
export function newRequestId(): string {
  return randomUUID().replaceAll("-", "").slice(0, 16);
}

/** Runs `work` with `id` (a new one by default) as the current request id. */
export function withRequestId<T>(work: () => T, id: string = newRequestId()): T {
  return current.run(id, work);
}

/** The current request id, when something started one. */
export function currentRequestId(): string | undefined {
  return current.getStore();
}

/** Runs `work` inside the current request, or a new one when there is none (a console turn). */
export function inRequest<T>(work: () => T): T {
  return currentRequestId() === undefined ? withRequestId(work) : work();
}
