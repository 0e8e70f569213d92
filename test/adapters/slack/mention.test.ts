import { describe, expect, it } from "vitest";
import { slackText } from "../../../src/adapters/slack/mention.ts";

describe("Slack markup around a question", () => {
  it.each([
    ["<@U123> latency", "latency"],
    ["<@U123|aoai> 429s today", "429s today"],
    ["latency <@U0456> 24h", "latency   24h"],
    ["@aoai 429s today", "429s today"],
    ["/aoai latency", "latency"],
    ["<@UBOT> schedule list", "schedule list"],
    ["  latency gpt-4o  ", "latency gpt-4o"],
    ["aoai-prod latency", "aoai-prod latency"],
  ])("%j reaches the conversation as %j", (raw, plain) => {
    expect(slackText(raw)).toBe(plain);
  });
});
