import { monitorEventLoopDelay } from "node:perf_hooks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slackText } from "../../src/adapters/slack/mention.ts";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { MAX_INPUT_LENGTH, MAX_QUESTION_LENGTH, parse } from "../../src/bot/parse.ts";
import { UserError } from "../../src/queries/errors.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const MB = 1 << 20;
const fill = (unit: string, length: number, tail = "") => unit.repeat(Math.ceil((length - tail.length) / unit.length)).slice(0, length - tail.length) + tail;

// shapes that made a regex restart a long scan at every position, or that normalisation blows up
const SHAPES: readonly (readonly [string, (n: number) => string])[] = [
  ["dots then another character", (n) => fill(".", n, "x")],
  ["mention openings without >", (n) => fill("<@", n)],
  ["one mention opening then text", (n) => `<@${fill("a", n - 2)}`],
  ["whitespace", (n) => fill(" ", n)],
  ["mixed whitespace then a word", (n) => fill(" \t\n\u00a0", n, "latency")],
  ["invisible characters", (n) => fill("\u200b\u00ad", n)],
  ["punctuation runs", (n) => fill("?!;,", n, "x")],
  ["one long word", (n) => fill("a", n)],
  ["key=value openings", (n) => fill("deployment=", n)],
  ["repeated question", (n) => fill("latency gpt-4o 24h ", n)],
  ["time phrase openings", (n) => fill("last 5 between 1 and since ", n)],
  ["NFKC expanding ligatures", (n) => fill("\ufdfa", n)],
  ["digits", (n) => fill("9", n)],
];

/** Runaway backtracking on 1 MB takes seconds; the budget only has to tell that from a loaded machine's pause. */
const BUDGET_MS = 250;

const demoBot = () => new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service);

describe("a message no one should send", () => {
  it("is refused as too long within 250 ms for every pathological 1 MB shape, and the event loop keeps turning", async () => {
    const bot = demoBot();
    await bot.ask("latency", { platform: "console" }); // warm the deployment lookup
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    for (const [name, make] of SHAPES) {
      const text = make(MB);
      const started = performance.now();
      const reply = await bot.ask(text, { platform: "slack" });
      const took = performance.now() - started;
      expect({ name, took: took < 50 }).toEqual({ name, took: true });
      expect(reply).toMatchObject({ kind: "error", code: "not_understood", message: `That question is ${MB} characters long; I read questions of up to ${MAX_QUESTION_LENGTH}.` });
    }
    delay.disable();
    // the histogram reports nanoseconds; a stall would show up as a maximum in the hundreds of ms
    expect(delay.max / 1e6).toBeLessThan(100);
  });

  it.each(SHAPES)("reads %s just inside the raw limit in linear time", (_name, make) => {
    for (const length of [MAX_QUESTION_LENGTH, MAX_INPUT_LENGTH]) {
      const started = performance.now();
      try {
        parse(make(length), { deployments: ["gpt-4o", "gpt-4o-mini"] });
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
      }
      expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    }
  });

  it("reads any question of the allowed length quickly, whatever its characters", () => {
    const alphabet = fc.constantFrom(".", "<", "@", ">", " ", "\t", "a", "9", "=", ":", "'", '"', "-", "top ", "last ", "by ", "between ", "since ", "latency ", "gpt-4o", "\u200b", "\ufdfa");
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 100, maxLength: 500 }), (parts) => {
        const text = parts.join("").slice(0, MAX_INPUT_LENGTH);
        const started = performance.now();
        try {
          parse(text, { deployments: ["gpt-4o", "gpt-4o-mini"] });
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
        }
        expect(performance.now() - started).toBeLessThan(BUDGET_MS);
      }),
      { numRuns: 300 },
    );
  });

  it("still answers a question padded with a Slack mention and spaces that fits once they are gone", async () => {
    const reply = await demoBot().ask(slackText(`<@U123ABC>${" ".repeat(600)}latency gpt-4o 24h...`), { platform: "slack" });
    expect(reply.kind).toBe("answer");
  });

  it("strips Slack mentions in linear time, and leaves overlong text for the core to refuse", () => {
    for (const make of [(n: number) => fill("<@", n), (n: number) => `<@${fill("a", n - 2)}`]) {
      const started = performance.now();
      slackText(make(MAX_INPUT_LENGTH));
      expect(performance.now() - started).toBeLessThan(BUDGET_MS);
      expect(slackText(make(MB))).toHaveLength(MB);
    }
  });
});
