// The one retry loop: the failure decides whether and when to try again; the policy caps attempts
// and the time a caller is held, and a wait that would end past the budget is not started at all.
import { describe, expect, it } from "vitest";
import { retry, type RetryPolicy } from "../../src/retry/retry.ts";

const POLICY: RetryPolicy = { maxAttempts: 4, budgetMs: 1_000, baseDelayMs: 5, maxDelayMs: 20 };
const failing = (times: number, err: Error) => {
  let calls = 0;
  return { op: () => (++calls <= times ? Promise.reject(err) : Promise.resolve(calls)), calls: () => calls };
};

describe("retry", () => {
  it("tries again while the failure says so, with growing waits, and returns the first success", async () => {
    const f = failing(2, new Error("hiccup"));
    const waits: number[] = [];
    expect(await retry(f.op, { policy: POLICY, decide: () => ({ retry: true }), onRetry: (_e, _a, ms) => waits.push(ms) })).toBe(3);
    expect(waits).toEqual([5, 10]);
  });

  it("waits what the failure asks (Retry-After) instead of the backoff", async () => {
    const f = failing(1, new Error("429"));
    const waits: number[] = [];
    await retry(f.op, { policy: POLICY, decide: () => ({ retry: true, afterMs: 30 }), onRetry: (_e, _a, ms) => waits.push(ms) });
    expect(waits).toEqual([30]);
  });

  it("gives up at once on a failure that must not be repeated, and after the last attempt", async () => {
    const once = failing(5, new Error("maybe delivered"));
    await expect(retry(once.op, { policy: POLICY, decide: () => ({ retry: false }) })).rejects.toThrow("maybe delivered");
    expect(once.calls()).toBe(1);
    const capped = failing(10, new Error("down"));
    await expect(retry(capped.op, { policy: POLICY, decide: () => ({ retry: true }) })).rejects.toThrow("down");
    expect(capped.calls()).toBe(4);
  });

  it("does not start a wait that would end past the budget", async () => {
    const f = failing(1, new Error("429"));
    const started = Date.now();
    await expect(retry(f.op, { policy: POLICY, decide: () => ({ retry: true, afterMs: 60_000 }) })).rejects.toThrow("429");
    expect(Date.now() - started).toBeLessThan(500);
    expect(f.calls()).toBe(1);
  });
});
