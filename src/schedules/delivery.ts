// A delivery that may have happened is never repeated blindly. Before a post the intent is recorded
// (store values, key per slot, part and target); after it, the outcome. A later run of the same slot
// (a retry, or a replica taking over from one that died) reads that record first: posted → nothing
// to do; "posting" with no outcome → the post may have gone out, so the platform is asked
// (findPosted), and where it cannot tell, a one-line "may already be above" note replaces the report.
import type { Logger } from "../log/logger.ts";
import { keys } from "../store/keys.ts";
import type { Store } from "../store/store.ts";
import { surelyUndelivered } from "./delivery-errors.ts";
import { keepTrying, type RecordRetry } from "./keep-trying.ts";
import type { DeliveryMark, PostedRef, ReportPoster } from "./poster.ts";
import type { Message } from "../bot/message.ts";
import { describeTarget, type Target } from "./schedule.ts";

/** Messages are looked for from this long before the intent was recorded (clocks differ a little). */
const CLOCK_SKEW_MS = 5 * 60_000;

interface Intent {
  /** posting: about to post, outcome unknown; absent: the platform refused it; noting/noted: the same for the note. */
  readonly state: "posting" | "posted" | "absent" | "noting" | "noted";
  readonly at: number;
  readonly owner: string;
  readonly id?: string;
}

export type DeliveryHow = "posted" | "already-recorded" | "found-in-channel" | "noted";

export interface Delivered {
  readonly ref: PostedRef;
  readonly how: DeliveryHow;
}

export const deliveryKey = (mark: DeliveryMark, target: Target): string => keys.delivery(mark.slot, mark.part, describeTarget(target));

export class Deliveries {
  private readonly store: Store;
  private readonly owner: string;
  private readonly retry: RecordRetry;
  private readonly logger: Logger;

  constructor(store: Store, owner: string, retry: RecordRetry, logger: Logger) {
    this.store = store;
    this.owner = owner;
    this.retry = retry;
    this.logger = logger;
  }

  /**
   * Posts `report` to `target` unless an earlier run may already have. Throws when nothing was
   * posted (store unreachable before the post, or the platform refused it); a post whose outcome
   * cannot be recorded still counts as delivered.
   */
  async deliver(poster: ReportPoster, target: Target, report: Message, mark: DeliveryMark, note: Message): Promise<Delivered> {
    const key = deliveryKey(mark, target);
    const raw = await this.store.get(key);
    const prior = raw === undefined ? undefined : (JSON.parse(raw) as Intent);
    switch (prior?.state) {
      case "posted":
        return { ref: { target, id: prior.id ?? "" }, how: "already-recorded" };
      case "noting":
      case "noted":
        // at most one note: a second takeover says nothing more
        return { ref: { target, id: prior.id ?? "" }, how: "noted" };
      case "posting": {
        const found = poster.findPosted ? await poster.findPosted(target, mark, new Date(prior.at - CLOCK_SKEW_MS)) : undefined;
        if (found) {
          await this.record(key, { state: "posted", id: found.id });
          return { ref: found, how: "found-in-channel" };
        }
        if (found === undefined) {
          this.logger.warn({ slot: mark.slot, part: mark.part, target: describeTarget(target) }, "an earlier run may have posted this and the platform cannot say; posting a note instead");
          await this.store.put(key, this.intent({ state: "noting" }));
          const ref = await poster.post(target, note);
          await this.record(key, { state: "noted", id: ref.id });
          return { ref, how: "noted" };
        }
        break; // certainly not there: post it
      }
      case "absent":
      case undefined:
        break;
    }
    await this.store.put(key, this.intent({ state: "posting" }));
    let ref: PostedRef;
    try {
      ref = await poster.post(target, report, mark);
    } catch (err) {
      if (surelyUndelivered(err)) await this.record(key, { state: "absent" });
      throw err;
    }
    await this.record(key, { state: "posted", id: ref.id });
    return { ref, how: "posted" };
  }

  private intent(fields: Pick<Intent, "state" | "id">): string {
    return JSON.stringify({ ...fields, at: Date.now(), owner: this.owner } satisfies Intent);
  }

  private async record(key: string, fields: Pick<Intent, "state" | "id">): Promise<void> {
    const value = this.intent(fields);
    await keepTrying(`record ${key} as ${fields.state}`, () => this.store.put(key, value), this.retry, this.logger);
  }
}
