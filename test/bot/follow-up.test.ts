import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { decodeFollowUp, encodeFollowUp } from "../../src/bot/follow-up.ts";
import { silentLogger } from "../../src/log/logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const demoBot = () => new Bot(createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW }).service, silentLogger);

describe("follow-up buttons", () => {
  it("round-trips what a button asks for", () => {
    const f = { kind: "window", text: "latency gpt-4o", minutes: 1440 } as const;
    expect(decodeFollowUp(encodeFollowUp(f))).toEqual(f);
    expect(decodeFollowUp({ kind: "split", text: "tokens" })).toEqual({ kind: "split", text: "tokens" });
  });

  it.each([undefined, "", "not json", "{}", '{"kind":"window","text":"x","minutes":"60"}', '{"kind":"drop","text":"x"}', 42, null])("ignores a value a client made up: %j", (value) => {
    expect(decodeFollowUp(value)).toBeUndefined();
  });

  it("does not offer a button for a question too long to carry", () => {
    expect(encodeFollowUp({ kind: "refresh", text: "x".repeat(3000) })).toBe("");
  });
});

describe("a forged window button", () => {
  it.each([
    ["1e12", "Azure Monitor keeps platform metrics for 93 days; that window is longer."],
    ["1e309", 'is not a window I can query.'],
    ["133921", "Azure Monitor keeps platform metrics for 93 days; that window is longer."],
    ["0", 'is not a window I can query.'],
    ["-5", 'is not a window I can query.'],
    ["1.5", 'is not a window I can query.'],
  ])("minutes: %s gets the answer a typed window would", async (minutes, message) => {
    const f = decodeFollowUp(`{"kind":"window","text":"latency gpt-4o","minutes":${minutes}}`);
    expect(f?.kind).toBe("window");
    const reply = await demoBot().followUp(f!, { platform: "slack" });
    expect(reply).toMatchObject({ kind: "error", code: "invalid_window" });
    expect(reply.kind === "error" ? reply.message : "").toContain(message);
  });

  it("answers a window inside the limits", async () => {
    const reply = await demoBot().followUp({ kind: "window", text: "latency gpt-4o", minutes: 93 * 1440 }, { platform: "slack" });
    expect(reply.kind).toBe("answer");
  });
});
