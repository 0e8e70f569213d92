// The outbound lanes on a clock the test moves by hand: what an operator sees is the order and the
// (simulated) moment each message leaves, what is given up and said so, never a real wait.
import { describe, expect, it } from "vitest";
import type { Delivery } from "../../src/adapters/delivery-observer.ts";
import { OutboundQueue, OutboundQueueFullError, type Clock, type Judgement, type OutboundQueueOptions } from "../../src/adapters/outbound-queue.ts";
import { DeliveryRefusedError, DeliveryUncertainError } from "../../src/schedules/delivery-errors.ts";
import { captureLogger } from "../support/capture-logger.ts";

/** Time stands still until the test's work has nothing left to do but wait; then it jumps to the next wake-up. */
class ManualClock implements Clock {
  private t = 0;
  private readonly timers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.t + ms, wake }));
  }

  /** Runs until `work` settles and returns it (so its rejection reaches the test). */
  async until<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      // every pending promise runs before the next macrotask
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return work;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error("the work waits on nothing the clock can move");
      this.t = Math.max(this.t, next.at);
      next.wake();
    }
  }
}

const rateLimited = (retryAfterMs?: number) => new DeliveryRefusedError("rate_limited", "429", { platform: "test", status: 429, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const serverError = () => new DeliveryUncertainError("server_error", "502", { platform: "test", status: 502 });

/** The senders' rule: a 429 again after its Retry-After; an uncertain failure again only when sending twice is harmless. */
function judge(err: unknown, item: { readonly idempotent: boolean }): Judgement {
  if (err instanceof DeliveryRefusedError && err.code === "rate_limited") return { retry: true, ...(err.retryAfterMs === undefined ? {} : { laneWaitMs: err.retryAfterMs }) };
  return { retry: item.idempotent && err instanceof DeliveryUncertainError };
}

/** A platform that records what it took, when, and answers with the failures a test lines up. */
function world(options: Partial<OutboundQueueOptions> = {}) {
  const clock = new ManualClock();
  const log = captureLogger();
  const observed: Delivery[] = [];
  const sent: { lane: string; what: string; at: number }[] = [];
  const failures = new Map<string, Error[]>();
  const queue = new OutboundQueue({
    platform: "test",
    laneName: "channel",
    pacing: { intervalMs: 1_000, burst: 1_000 },
    retry: { maxAttempts: 3, budgetMs: 10_000, baseDelayMs: 100, maxDelayMs: 1_000 },
    maxWaiting: 100,
    judge,
    logger: log.logger,
    observe: (d) => observed.push(d),
    clock,
    ...options,
  });
  const item = (lane: string, what: string, extra: { paced?: boolean; idempotent?: boolean; expendable?: boolean } = {}) => ({
    what,
    ...extra,
    send: () => {
      const failure = failures.get(what)?.shift();
      if (failure !== undefined) return Promise.reject(failure);
      sent.push({ lane, what, at: clock.now() });
      return Promise.resolve(what);
    },
  });
  const post = (lane: string, what: string, extra?: { paced?: boolean; idempotent?: boolean; expendable?: boolean }) => queue.send(lane, item(lane, what, extra));
  const edit = (lane: string, key: string, what: string) => queue.latest(lane, key, item(lane, what, { paced: false, idempotent: true }));
  const failNext = (what: string, ...errs: Error[]) => failures.set(what, errs);
  const errors = () => log.entries().filter((e) => e.level === "error");
  return { clock, queue, sent, observed, post, edit, failNext, errors, log };
}

const whats = (sent: readonly { what: string }[]) => sent.map((s) => s.what);

describe("an outbound lane", () => {
  it("sends each channel's messages in the order they were accepted, one channel not held up by another", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 3 } });
    w.failNext("a1", rateLimited(5_000));
    const all = Promise.all([w.post("A", "a1"), w.post("B", "b1"), w.post("A", "a2"), w.post("B", "b2"), w.post("A", "a3")]);
    expect(await w.clock.until(all)).toEqual(["a1", "b1", "a2", "b2", "a3"]);
    expect(whats(w.sent.filter((s) => s.lane === "A"))).toEqual(["a1", "a2", "a3"]);
    // B went out while A waited out its Retry-After
    expect(w.sent.filter((s) => s.lane === "B").map((s) => s.at)).toEqual([0, 0]);
    // A again once its Retry-After is over, paced from there
    expect(w.sent.filter((s) => s.lane === "A").map((s) => s.at)).toEqual([5_000, 6_000, 7_000]);
  });

  it("lets a short burst through, then paces messages one per interval; unpaced items (edits, uploads) take no turn", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 2 } });
    const all = Promise.all([w.post("C", "m1"), w.post("C", "m2"), w.post("C", "upload", { paced: false }), w.post("C", "m3"), w.post("C", "m4")]);
    await w.clock.until(all);
    expect(w.sent.map((s) => [s.what, s.at])).toEqual([
      ["m1", 0],
      ["m2", 0],
      ["upload", 0],
      ["m3", 1_000],
      ["m4", 2_000],
    ]);
  });

  it("refills while the channel is quiet, so one message now and then is never held", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 1 } });
    await w.clock.until(w.post("Q", "first"));
    await w.clock.until(w.clock.sleep(5_000));
    await w.clock.until(w.post("Q", "later"));
    expect(w.sent.map((s) => s.at)).toEqual([0, 5_000]);
  });

  it("on a 429 pauses the whole channel for its Retry-After, sends that message again first, and does not burst right after", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 3 } });
    w.failNext("m1", rateLimited(1_000));
    const all = Promise.all([w.post("C", "m1"), w.post("C", "m2"), w.post("C", "m3")]);
    await w.clock.until(all);
    expect(w.sent.map((s) => [s.what, s.at])).toEqual([
      ["m1", 1_000],
      ["m2", 2_000],
      ["m3", 3_000],
    ]);
    expect(w.observed).toEqual([]);
    expect(w.errors()).toEqual([]);
  });

  it("backs off when a retryable failure gives no Retry-After, doubling the wait", async () => {
    const w = world();
    w.failNext("edit", serverError(), serverError());
    const done = w.post("C", "edit", { idempotent: true });
    expect(await w.clock.until(done)).toBe("edit");
    expect(w.sent.map((s) => s.at)).toEqual([300]);
  });

  it("never sends a new message again after a failure that may have delivered it, and goes on with the next", async () => {
    const w = world();
    w.failNext("maybe", serverError());
    const first = w.post("C", "maybe");
    const second = w.post("C", "next");
    await expect(w.clock.until(first)).rejects.toBeInstanceOf(DeliveryUncertainError);
    expect(await w.clock.until(second)).toBe("next");
    expect(whats(w.sent)).toEqual(["next"]);
  });

  it("gives up after the last attempt: the caller gets the failure, the log says which channel, the observer counts one dropped", async () => {
    const w = world();
    w.failNext("doomed", rateLimited(100), rateLimited(100), rateLimited(100));
    await expect(w.clock.until(w.post("C0LOST", "doomed"))).rejects.toMatchObject({ code: "rate_limited" });
    expect(w.errors()).toEqual([expect.objectContaining({ channel: "C0LOST", what: "doomed", attempts: 3, msg: "test: gave up on a message to channel C0LOST" })]);
    expect(w.observed).toEqual([{ platform: "test", outcome: "dropped" }]);
  });

  it("does not start a Retry-After wait past the budget, yet holds the next message until the Retry-After is over", async () => {
    const w = world();
    w.failNext("first", rateLimited(60_000));
    const first = w.post("C", "first");
    const second = w.post("C", "second");
    await expect(w.clock.until(first)).rejects.toMatchObject({ code: "rate_limited" });
    await w.clock.until(second);
    expect(w.sent).toEqual([{ lane: "C", what: "second", at: 60_000 }]);
  });

  it("sends only the latest of several edits of one message that wait, in the place of the first; other messages are untouched", async () => {
    const w = world();
    // the channel is paused (a 429), so everything below waits
    w.failNext("post", rateLimited(1_000));
    const post = w.post("C", "post");
    const edits = [w.edit("C", "ts1", "ts1 v1"), w.post("C", "other"), w.edit("C", "ts1", "ts1 v2"), w.edit("C", "ts2", "ts2 v1"), w.edit("C", "ts1", "ts1 v3")];
    await w.clock.until(Promise.all([post, ...edits]));
    expect(whats(w.sent)).toEqual(["post", "ts1 v3", "other", "ts2 v1"]);
    expect(await Promise.all([edits[0], edits[2], edits[4]])).toEqual([{ sent: false }, { sent: false }, { sent: true, value: "ts1 v3" }]);
  });

  it("lets a newer edit replace one waiting out its own Retry-After", async () => {
    const w = world();
    w.failNext("v1", rateLimited(1_000));
    const v1 = w.edit("C", "ts", "v1");
    // v1 has been tried and is waiting to go again
    await w.clock.until(w.clock.sleep(10));
    const v2 = w.edit("C", "ts", "v2");
    expect(await w.clock.until(Promise.all([v1, v2]))).toEqual([{ sent: false }, { sent: true, value: "v2" }]);
    expect(w.sent).toEqual([{ lane: "C", what: "v2", at: 1_000 }]);
  });

  it("refuses a message when the channel's lane is full, says so at error and counts it dropped; everything it accepted goes out", async () => {
    const w = world({ maxWaiting: 2 });
    w.failNext("m0", rateLimited(1_000));
    const accepted = [w.post("C0FULL", "m0"), w.post("C0FULL", "m1"), w.post("C0FULL", "m2")];
    const refused = w.post("C0FULL", "m3");
    await expect(refused).rejects.toBeInstanceOf(OutboundQueueFullError);
    await expect(refused).rejects.toMatchObject({ code: "queue_full", lane: "C0FULL" });
    await expect(refused).rejects.toThrow("test channel C0FULL is full (2 messages waiting)");
    expect(w.errors()).toEqual([expect.objectContaining({ channel: "C0FULL", what: "m3" })]);
    expect(w.observed).toEqual([{ platform: "test", outcome: "dropped" }]);
    await w.clock.until(Promise.all(accepted));
    expect(whats(w.sent)).toEqual(["m0", "m1", "m2"]);
  });

  it("does not retry an expendable item (a typing indicator) nor count it lost, and still honours its Retry-After", async () => {
    const w = world();
    w.failNext("typing", rateLimited(2_000));
    const typing = w.post("C", "typing", { expendable: true });
    const answer = w.post("C", "answer");
    await expect(w.clock.until(typing)).rejects.toMatchObject({ code: "rate_limited" });
    await w.clock.until(answer);
    expect(w.sent).toEqual([{ lane: "C", what: "answer", at: 2_000 }]);
    expect(w.observed).toEqual([]);
    expect(w.errors()).toEqual([]);
  });

  it("is idle only once every lane is empty, work that queues more when it is done included", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 1 } });
    let idle = false;
    const message = w.post("C", "message");
    void w.queue.during(message.then(() => w.post("C", "its file", { paced: false })));
    void w.post("D", "d1");
    void w.post("D", "d2");
    const waited = w.queue.idle().then(() => (idle = true));
    await w.clock.until(message);
    expect(idle).toBe(false);
    await w.clock.until(waited);
    expect(whats(w.sent.filter((s) => s.lane === "C"))).toEqual(["message", "its file"]);
    expect(whats(w.sent.filter((s) => s.lane === "D"))).toEqual(["d1", "d2"]);
    expect(w.queue.pending("C") + w.queue.pending("D")).toBe(0);
  });

  it("keeps pacing a channel across many quiet channels (idle lanes are forgotten only once they would start the same)", async () => {
    const w = world({ pacing: { intervalMs: 1_000, burst: 1 } });
    await w.clock.until(w.post("HOT", "h1"));
    await w.clock.until(Promise.all(Array.from({ length: 300 }, (_, i) => w.post(`Q${i}`, `q${i}`))));
    await w.clock.until(w.post("HOT", "h2"));
    expect(w.sent.filter((s) => s.lane === "HOT").map((s) => s.at)).toEqual([0, 1_000]);
  });
});
