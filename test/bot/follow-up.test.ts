import { describe, expect, it } from "vitest";
import { decodeFollowUp, encodeFollowUp } from "../../src/bot/follow-up.ts";

describe("follow-up buttons", () => {
  it("round-trips what a button asks for", () => {
    const f = { kind: "window", text: "latency gpt-4o", minutes: 1440 } as const;
    expect(decodeFollowUp(encodeFollowUp(f))).toEqual(f);
    expect(decodeFollowUp({ kind: "split", text: "tokens" })).toEqual({ kind: "split", text: "tokens" });
  });

  it.each([undefined, "", "not json", "{}", '{"kind":"window","text":"x","minutes":-5}', '{"kind":"drop","text":"x"}', 42, null])("ignores a value a client made up: %j", (value) => {
    expect(decodeFollowUp(value)).toBeUndefined();
  });

  it("does not offer a button for a question too long to carry", () => {
    expect(encodeFollowUp({ kind: "refresh", text: "x".repeat(3000) })).toBe("");
  });
});
