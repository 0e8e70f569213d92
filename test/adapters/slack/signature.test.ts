import { describe, expect, it } from "vitest";
import { signatureHolds } from "../../../src/adapters/slack/request-guard.ts";
import { sign, SIGNING_SECRET } from "../../fakes/slack-request.ts";

const body = "token=x&team_id=T0001&command=%2Faoai&text=latency+gpt-4o";
const ts = 1764400000;
const holds = (signature: string, over: { secret?: string; body?: string; ts?: number } = {}) => signatureHolds(over.secret ?? SIGNING_SECRET, over.ts ?? ts, Buffer.from(over.body ?? body), signature);

describe("Slack's v0 request signature", () => {
  it("holds for the body, timestamp and secret Slack signed", () => {
    expect(holds(sign(body, ts))).toBe(true);
  });

  it("holds over the body's bytes, whatever characters they spell", () => {
    const json = JSON.stringify({ type: "event_callback", event: { text: "Ünïcödé 👀" } });
    expect(holds(sign(json, ts), { body: json })).toBe(true);
  });

  it.each([
    ["another secret", sign(body, ts, "another-secret-entirely-0000000000"), {}],
    ["another body", sign(`${body}&x=1`, ts), {}],
    ["another timestamp", sign(body, ts + 1), {}],
    ["a truncated signature", sign(body, ts).slice(0, -1), {}],
    ["the signature in upper case", sign(body, ts).toUpperCase(), {}],
    ["a version other than v0", sign(body, ts).replace(/^v0=/, "v1="), {}],
    ["an empty signature", "", {}],
    ["an empty signing secret", sign(body, ts, ""), { secret: "" }],
  ] as const)("fails for %s", (_name, signature, over) => {
    expect(holds(signature, over)).toBe(false);
  });
});
