// The cache lets go of what it can no longer serve: as the clock moves on, each minute's live
// windows are new keys, and expired responses kept until the size bound were memory held for nothing.
import { describe, expect, it } from "vitest";
import { LookupCache } from "../../src/queries/lookup-cache.ts";

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("LookupCache", () => {
  it("drops expired entries on a later miss, far below its size bound", async () => {
    const cache = new LookupCache<string>(60_000, { maxEntries: 500 });
    for (let i = 0; i < 5; i++) await cache.get(`request ${i}`, i * 10_000, () => Promise.resolve(`response ${i}`));
    await settled();
    expect(cache.size).toBe(5);
    // an hour on: every earlier response expired; the next miss sweeps them
    await cache.get("request 60", 3_600_000, () => Promise.resolve("response 60"));
    expect(cache.size).toBe(1);
  });

  it("keeps fresh entries and reads in flight when it sweeps", async () => {
    const cache = new LookupCache<string>(60_000);
    await cache.get("fresh", 100_000, () => Promise.resolve("kept"));
    let release: (v: string) => void = () => undefined;
    const inFlight = cache.get("slow", 100_000, () => new Promise<string>((r) => (release = r)));
    await cache.get("new", 130_000, () => Promise.resolve("new"));
    expect(cache.size).toBe(3);
    let loads = 0;
    expect(await cache.get("fresh", 130_000, () => Promise.resolve(`reloaded ${++loads}`))).toBe("kept");
    release("slow answer");
    expect(await inFlight).toBe("slow answer");
    expect(loads).toBe(0);
  });
});
