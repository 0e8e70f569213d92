// Acknowledgements before answers. Everything a listener does after ack() (the dedupe claim,
// parsing, planning, the Azure calls, rendering) is CPU on the one event loop that also reads and
// acknowledges the next requests: in a crowd of 200 `/aoai` commands, the last ones would wait
// behind the first ones' answers. So a listener takes its turn after acknowledging: turns are
// given one per loop iteration (the requests that came in meanwhile are read between two turns),
// and only once no Slack request is waiting for its acknowledgement and none came in for QUIET_MS
// (a crowd on new connections arrives as a trickle, a connection at a time: without the pause
// every gap between two of them let an answer's work in, whole when Azure's figures were cached).
// A turn waits at most MAX_WAIT_MS: a stream of requests that never pauses must not starve answers.
import type { NextFunction, Request, Response } from "express";

/** Far below Slack's 3 s and the answers' own time (Azure), far above one crowd's acknowledgements. */
export const MAX_WAIT_MS = 250;
/** Gaps between a crowd's requests are a fraction of this; an answer's work waits it out once, a few % of one Azure round trip. */
export const QUIET_MS = 10;

export class AckFirst {
  /** Slack requests received and not yet answered (acknowledged, refused or dropped). */
  private due = 0;
  private lastArrival = -Infinity;
  private readonly waiting: { readonly start: () => void; readonly since: number }[] = [];
  private scheduled = false;
  private sleeping: NodeJS.Timeout | undefined;
  private readonly maxWaitMs: number;
  private readonly quietMs: number;

  constructor(maxWaitMs = MAX_WAIT_MS, quietMs = QUIET_MS) {
    this.maxWaitMs = maxWaitMs;
    this.quietMs = quietMs;
  }

  /** Express middleware in front of the Slack route: a request is due from its arrival until its response is done or its connection gone. */
  readonly track = (_req: Request, res: Response, next: NextFunction): void => {
    this.due++;
    this.lastArrival = performance.now();
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      this.due--;
      this.wake();
    };
    res.once("finish", settle);
    res.once("close", settle);
    next();
  };

  /** Resolves on a later turn of the event loop, once no acknowledgement is due and none was asked for lately (or MAX_WAIT_MS passed); in the order asked. */
  turn(): Promise<void> {
    return new Promise((start) => {
      this.waiting.push({ start, since: performance.now() });
      this.wake();
    });
  }

  private wake(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(this.next);
  }

  private readonly next = (): void => {
    this.scheduled = false;
    const first = this.waiting[0];
    if (!first) return;
    const now = performance.now();
    const left = this.maxWaitMs - (now - first.since);
    const quietIn = this.quietMs - (now - this.lastArrival);
    if (left > 0 && (this.due > 0 || quietIn > 0)) {
      // the last due response wakes the queue (to wait out the quiet); the timer is the bound
      this.sleep(this.due > 0 ? left : Math.min(left, quietIn));
      return;
    }
    this.sleep(undefined);
    this.waiting.shift();
    first.start();
    // the next turn goes to the loop's next iteration: sockets are read in between
    this.wake();
  };

  private sleep(ms: number | undefined): void {
    clearTimeout(this.sleeping);
    this.sleeping =
      ms === undefined
        ? undefined
        : setTimeout(() => {
            this.sleeping = undefined;
            this.wake();
          }, ms);
  }
}
