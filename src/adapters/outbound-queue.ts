// What the bot sends to a chat platform waits in a lane per channel (Slack) or conversation (Teams),
// because that is where the platforms count: Slack takes about one message per second per channel
// with short bursts, Teams a few per second per conversation. A lane sends one item at a time, in the
// order they were accepted, paced by a token bucket; a rate-limited answer pauses the whole lane for
// its Retry-After (the next item would only be refused too) and the item is tried again first, so
// order holds and nobody retries in a storm. An edit of a message that is still waiting is replaced
// by a newer edit of the same message: only the latest is sent. A lane holds a bounded number of
// items; one that can't be accepted, and one given up on, is logged at error with its lane, told to
// the delivery observer as `dropped`, and rejected to its caller: nothing accepted is lost silently.
// That holds when the process stops too: what still waits when the drain runs out is given up the
// same way (abandon), not left to vanish with the process.
import type { Logger } from "../log/logger.ts";
import type { RetryPolicy } from "../retry/retry.ts";
import { DeliveryRefusedError } from "../schedules/delivery-errors.ts";
import type { DeliveryObserver } from "./delivery-observer.ts";

/** Time as the queue sees it; tests pass one they move by hand. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A token bucket per lane: `burst` paced items at once, then one per `intervalMs`. */
export interface Pacing {
  readonly intervalMs: number;
  readonly burst: number;
}

/** What a failed attempt means: try the item again or not, and how long the whole lane must wait first (Retry-After). */
export interface Judgement {
  readonly retry: boolean;
  readonly laneWaitMs?: number;
}

export interface OutboundQueueOptions {
  /** For logs and the observer ("slack", "teams"). */
  readonly platform: string;
  /** What a lane is, for logs ("channel", "conversation"). */
  readonly laneName: string;
  readonly pacing: Pacing;
  /** Attempts per item and how long one item may be retried (from its first attempt); waits without a Retry-After back off from baseDelayMs. */
  readonly retry: RetryPolicy;
  /** Items a lane holds besides the one being sent. */
  readonly maxWaiting: number;
  readonly judge: (err: unknown, item: { readonly idempotent: boolean }) => Judgement;
  readonly logger: Logger;
  readonly observe?: DeliveryObserver;
  readonly clock?: Clock;
}

export interface Outbound<T> {
  /** One attempt; the item's errors are the caller's (typed by the sender). */
  readonly send: (attempt: number) => Promise<T>;
  /** For logs: "answer", "report", "file upload". */
  readonly what: string;
  /** Counts against the lane's pace (Slack paces posts, not edits or uploads); default true. */
  readonly paced?: boolean;
  /** Sending it twice does no harm (an edit): the judge may retry it after an uncertain failure. */
  readonly idempotent?: boolean;
  /** Worth nothing late (a typing indicator): never retried, and a failure is not a lost message. */
  readonly expendable?: boolean;
}

/** How a coalescing item ended: sent, or replaced while waiting by a newer item with the same key. */
export type Sent<T> = { readonly sent: true; readonly value: T } | { readonly sent: false };

export class OutboundQueueFullError extends DeliveryRefusedError {
  readonly lane: string;

  constructor(platform: string, laneName: string, lane: string, waiting: number) {
    super("queue_full", `the outbound queue of ${platform} ${laneName} ${lane} is full (${waiting} messages waiting); this one was not sent`, { platform });
    this.name = "OutboundQueueFullError";
    this.lane = lane;
  }
}

/** The process stopped before this message's turn came: it was never sent. */
export class OutboundQueueStoppedError extends DeliveryRefusedError {
  readonly lane: string;

  constructor(platform: string, laneName: string, lane: string, reason: string) {
    super("stopping", `not sent to ${platform} ${laneName} ${lane}: ${reason}`, { platform });
    this.name = "OutboundQueueStoppedError";
    this.lane = lane;
  }
}

interface Item {
  readonly what: string;
  readonly paced: boolean;
  readonly idempotent: boolean;
  readonly expendable: boolean;
  readonly coalesce: string | undefined;
  /** Runs one attempt and, when it succeeds, settles the caller. */
  readonly attempt: (n: number) => Promise<void>;
  readonly fail: (err: unknown) => void;
  readonly supersede: () => void;
}

interface Lane {
  readonly waiting: Item[];
  sending: boolean;
  tokens: number;
  /** Tokens are counted up to here; during a pause it lies ahead, so nothing refills before the pause ends. */
  countedAt: number;
  /** Nothing is sent before this (a Retry-After). */
  notBefore: number;
}

/** Lanes are forgotten once idle and refilled, when there are more than this. */
const SWEEP_ABOVE = 256;

export class OutboundQueue {
  private readonly options: OutboundQueueOptions;
  private readonly clock: Clock;
  private readonly lanes = new Map<string, Lane>();
  /** Work that will queue more (a message, then its files): idle() waits for it too. */
  private readonly holding = new Set<Promise<unknown>>();
  private readonly pumping = new Set<Promise<void>>();
  /** Set by abandon(): why nothing more is sent. */
  private stoppedBecause: string | undefined;

  constructor(options: OutboundQueueOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
  }

  /** Queues `item` at the end of `lane`; resolves with what its send returned, or rejects with its last failure. */
  send<T>(lane: string, item: Outbound<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.accept(lane, item, undefined, (value) => { resolve(value); }, reject, () => { reject(new Error("unreachable: an item without a key was superseded")); });
    });
  }

  /** Like send, but a waiting item with the same `key` is replaced by this one (in its place) and resolves `{ sent: false }`. */
  latest<T>(lane: string, key: string, item: Outbound<T>): Promise<Sent<T>> {
    return new Promise<Sent<T>>((resolve, reject) => {
      this.accept(lane, item, key, (value) => { resolve({ sent: true, value }); }, reject, () => { resolve({ sent: false }); });
    });
  }

  /** Counts `work` as the queue's until it settles (a message whose files are queued once it is posted); returns it unchanged. */
  during<T>(work: Promise<T>): Promise<T> {
    const entry = work.then(
      () => undefined,
      () => undefined,
    );
    this.holding.add(entry);
    void entry.then(() => this.holding.delete(entry));
    return work;
  }

  /** Items waiting or being sent in `lane` (for tests and logs). */
  pending(lane: string): number {
    const l = this.lanes.get(lane);
    return l ? l.waiting.length + (l.sending ? 1 : 0) : 0;
  }

  /** Resolves once every lane is empty and nothing held is running, items queued while waiting included. */
  async idle(): Promise<void> {
    while (this.pumping.size + this.holding.size > 0) await Promise.all([...this.pumping, ...this.holding]);
  }

  /**
   * The process is stopping and can't wait any longer: every message still waiting in a lane (one
   * waiting out a Retry-After or backoff included) is given up now, logged at error with its lane
   * and `reason`, counted dropped and rejected to its caller; one accepted later is refused the same
   * way. A message being sent at this moment is left to its answer. Returns how many were given up.
   */
  abandon(reason: string): number {
    this.stoppedBecause = reason;
    let given = 0;
    for (const [name, lane] of this.lanes) {
      for (const item of lane.waiting.splice(0)) {
        this.giveUp(name, item, new OutboundQueueStoppedError(this.options.platform, this.options.laneName, name, reason), 0, reason);
        if (!item.expendable) given++;
      }
    }
    return given;
  }

  private accept<T>(name: string, outbound: Outbound<T>, coalesce: string | undefined, done: (value: T) => void, fail: (err: unknown) => void, supersede: () => void): void {
    const item: Item = {
      what: outbound.what,
      paced: outbound.paced ?? true,
      idempotent: outbound.idempotent ?? false,
      expendable: outbound.expendable ?? false,
      coalesce,
      attempt: async (n) => {
        done(await outbound.send(n));
      },
      fail,
      supersede,
    };
    if (this.stoppedBecause !== undefined) {
      this.giveUp(name, item, new OutboundQueueStoppedError(this.options.platform, this.options.laneName, name, this.stoppedBecause), 0, this.stoppedBecause);
      return;
    }
    const lane = this.lane(name);
    const replaced = coalesce === undefined ? -1 : lane.waiting.findIndex((w) => w.coalesce === coalesce);
    if (replaced >= 0) {
      lane.waiting[replaced]?.supersede();
      lane.waiting[replaced] = item;
      return;
    }
    if (lane.waiting.length >= this.options.maxWaiting) {
      const err = new OutboundQueueFullError(this.options.platform, this.options.laneName, name, lane.waiting.length);
      this.giveUp(name, item, err, 0);
      return;
    }
    lane.waiting.push(item);
    if (!lane.sending) this.pump(name, lane);
  }

  private lane(name: string): Lane {
    const known = this.lanes.get(name);
    if (known) return known;
    if (this.lanes.size >= SWEEP_ABOVE) this.sweep();
    const now = this.clock.now();
    const lane: Lane = { waiting: [], sending: false, tokens: this.options.pacing.burst, countedAt: now, notBefore: now };
    this.lanes.set(name, lane);
    return lane;
  }

  /** Forgets lanes that are empty, unpaused and full again: a new lane for them starts the same. */
  private sweep(): void {
    const now = this.clock.now();
    for (const [name, lane] of this.lanes) {
      this.refill(lane, now);
      if (!lane.sending && lane.waiting.length === 0 && lane.notBefore <= now && lane.tokens >= this.options.pacing.burst) this.lanes.delete(name);
    }
  }

  private pump(name: string, lane: Lane): void {
    lane.sending = true;
    const run = this.drain(name, lane).finally(() => this.pumping.delete(run));
    this.pumping.add(run);
  }

  private async drain(name: string, lane: Lane): Promise<void> {
    try {
      for (;;) {
        const item = lane.waiting.shift();
        if (!item) break;
        await this.deliver(name, lane, item);
      }
    } finally {
      // at once, not a tick later: an item accepted in between would find the lane busy and never be sent
      lane.sending = false;
    }
  }

  /** Sends one item, retrying as its failures allow; the item stays first in its lane until it is done. */
  private async deliver(name: string, lane: Lane, first: Item): Promise<void> {
    let item = first;
    let attempt = 1;
    let startedAt: number | undefined;
    for (;;) {
      await this.turn(lane, item.paced);
      startedAt ??= this.clock.now();
      try {
        await item.attempt(attempt);
        return;
      } catch (err) {
        const { retry, laneWaitMs } = item.expendable ? { retry: false, laneWaitMs: this.options.judge(err, item).laneWaitMs } : this.options.judge(err, item);
        const now = this.clock.now();
        if (laneWaitMs !== undefined) this.pause(lane, now + laneWaitMs);
        const wait = laneWaitMs ?? Math.min(this.options.retry.baseDelayMs * 2 ** (attempt - 1), this.options.retry.maxDelayMs);
        if (!retry || attempt >= this.options.retry.maxAttempts || now - startedAt + wait > this.options.retry.budgetMs || this.stoppedBecause !== undefined) {
          // stopping: no retry now, the process would not see it through
          this.giveUp(name, item, err, attempt, retry ? this.stoppedBecause : undefined);
          return;
        }
        this.options.logger.warn({ [this.options.laneName]: name, what: item.what, attempt, waitMs: wait, err }, `${this.options.platform}: sending again after a wait`);
        // a backoff holds the lane for order's sake; unlike a Retry-After it says nothing of the pace
        if (laneWaitMs === undefined) lane.notBefore = Math.max(lane.notBefore, now + wait);
        // a newer edit of the same message, already waiting or coming while this one waits, takes its place (and starts its own count)
        const newer = item.coalesce === undefined ? -1 : lane.waiting.findIndex((w) => w.coalesce === item.coalesce);
        if (newer >= 0) item.supersede();
        lane.waiting.unshift(...(newer >= 0 ? lane.waiting.splice(newer, 1) : [item]));
        await this.turn(lane, false);
        const next = lane.waiting.shift();
        if (next !== item) {
          if (!next) return;
          item = next;
          attempt = 1;
          startedAt = undefined;
          continue;
        }
        attempt++;
      }
    }
  }

  /** Waits until the lane may send: its pause is over and, for a paced item, a token is there (then takes it). */
  private async turn(lane: Lane, paced: boolean): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.refill(lane, now);
      const wait = Math.max(lane.notBefore - now, paced && lane.tokens < 1 ? Math.ceil((1 - lane.tokens) * this.options.pacing.intervalMs) : 0);
      if (wait <= 0) break;
      await this.clock.sleep(wait);
    }
    if (paced) lane.tokens -= 1;
  }

  private refill(lane: Lane, now: number): void {
    if (now <= lane.countedAt) return;
    lane.tokens = Math.min(this.options.pacing.burst, lane.tokens + (now - lane.countedAt) / this.options.pacing.intervalMs);
    lane.countedAt = now;
  }

  /** A Retry-After: after it the lane sends one item, then is paced again (no burst the moment it ends). */
  private pause(lane: Lane, until: number): void {
    if (until <= lane.notBefore) return;
    lane.notBefore = until;
    lane.tokens = Math.min(lane.tokens, 1);
    lane.countedAt = Math.max(lane.countedAt, until);
  }

  private giveUp(lane: string, item: Item, err: unknown, attempts: number, stopping?: string): void {
    const fields = { [this.options.laneName]: lane, what: item.what, attempts, err, ...(stopping === undefined ? {} : { reason: stopping }) };
    if (item.expendable) {
      this.options.logger.debug(fields, `${this.options.platform}: not sent (worth nothing late)`);
    } else {
      this.options.logger.error(fields, stopping === undefined ? `${this.options.platform}: gave up on a message to ${this.options.laneName} ${lane}` : `${this.options.platform}: gave up on a message to ${this.options.laneName} ${lane}, not sent before the process stopped`);
      this.options.observe?.({ platform: this.options.platform, outcome: "dropped" });
    }
    item.fail(err);
  }
}
