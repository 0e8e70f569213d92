// Which texts read as follow-ups, and what each changes in the previous question ("tokens gpt-4o last hour").
import { describe, expect, it } from "vitest";
import { mergeFollowUp, readFollowUp } from "../../src/bot/follow-up-parse.ts";
import { tableFollowUp } from "../../src/bot/context-ask.ts";
import { parse } from "../../src/bot/parse.ts";
import type { Question } from "../../src/queries/question.ts";

const ctx = { deployments: ["gpt-4o", "gpt-4o-mini", "gpt-4o-ptu", "text-embedding-3-large"] };
const parsed = parse("tokens gpt-4o last hour", ctx);
const previous = parsed.kind === "question" ? parsed.question : (undefined as never);

/** What the merged question differs in, in a few words. */
function changed(text: string): string {
  const r = readFollowUp(text, ctx);
  if (r.kind !== "follow-up") return r.kind === "unreadable" ? `unreadable: ${r.error.message}` : "full question";
  const q: Question = mergeFollowUp(previous, r);
  const window = q.window.kind === "relative" ? `${String(q.window.minutes)}m` : q.window.kind;
  const filters = Object.entries(q.filters).map(([d, v]) => `${d}=${(v ?? []).join("|")}`).join(",");
  return [r.marked ? "marked" : "bare", q.topic, window, filters, q.splitBy ? `by ${q.splitBy}` : "", q.baseline ?? ""].filter((s) => s !== "").join(" ");
}

describe("follow-up phrasings", () => {
  it.each([
    ["what about yesterday?", "marked Tokens yesterday ModelDeploymentName=gpt-4o"],
    ["how about this week", "marked Tokens this-week ModelDeploymentName=gpt-4o"],
    ["and for gpt-4o-mini?", "marked Tokens 60m ModelDeploymentName=gpt-4o-mini"],
    ["and region=westus", "marked Tokens 60m ModelDeploymentName=gpt-4o,Region=westus"],
    ["split that by region", "marked Tokens 60m ModelDeploymentName=gpt-4o by Region"],
    ["break it down by deployment", "marked Tokens 60m ModelDeploymentName=gpt-4o by ModelDeploymentName"],
    ["same for latency", "marked Latency 60m ModelDeploymentName=gpt-4o"],
    ["same but by region", "marked Tokens 60m ModelDeploymentName=gpt-4o by Region"],
    ["now 7d", "marked Tokens 10080m ModelDeploymentName=gpt-4o"],
    ["only gpt-4o-ptu", "marked Tokens 60m ModelDeploymentName=gpt-4o-ptu"],
    ["vs yesterday", "marked Tokens 60m ModelDeploymentName=gpt-4o day-before"],
    ["compared to last week", "marked Tokens 60m ModelDeploymentName=gpt-4o week-before"],
    ["vs gpt-4o-mini", "marked Tokens 60m ModelDeploymentName=gpt-4o|gpt-4o-mini"],
    ["what about all deployments", "marked Tokens 60m"],
    ["how about errors today", "marked Errors today ModelDeploymentName=gpt-4o"],
    ["7d", "bare Tokens 10080m ModelDeploymentName=gpt-4o"],
    ["gpt-4o-mini", "bare Tokens 60m ModelDeploymentName=gpt-4o-mini"],
    ["by region", "bare Tokens 60m ModelDeploymentName=gpt-4o by Region"],
    ["latency", "full question"],
    ["TotalCalls last hour", "full question"],
    ["and for metric=TotalCalls", "marked TotalCalls 60m ModelDeploymentName=gpt-4o"],
    ["what about requests", "marked Requests 60m ModelDeploymentName=gpt-4o"],
    ["latency vs yesterday", "full question"],
    ["tokens gpt-4o last hour", "full question"],
    ["what's the weather", "full question"],
    ["help", "full question"],
    ["what about it?", 'unreadable: I couldn\'t tell what "what about it?" changes in the last question.'],
    ["and for gpt-5", 'unreadable: There is no deployment named "gpt-5".'],
  ])("%s → %s", (text, expected) => {
    expect(changed(text)).toBe(expected);
  });

  it("carries a named signal whole (an estimate) and drops the old one's", () => {
    const merge = (text: string, from: Question = previous) => {
      const r = readFollowUp(text, ctx);
      return r.kind === "follow-up" ? mergeFollowUp(from, r) : undefined;
    };
    const spend = merge("same for spend");
    expect(spend?.estimate).toBe("spend");
    expect(spend && merge("what about tokens", spend)?.estimate).toBeUndefined();
  });

  it("reads a table question after a lead over the previous question's deployments and window, unless it names its own", () => {
    const table = (text: string) => {
      const r = readFollowUp(text, ctx);
      return r.kind === "unreadable" ? tableFollowUp(r.body, previous, ctx) : undefined;
    };
    expect(table("same for p95 latency")).toMatchObject({ kind: "logs", template: "percentiles", percentiles: [95], deployments: ["gpt-4o"], window: { kind: "relative", minutes: 60 }, topic: "p95 latency (request logs) — gpt-4o" });
    expect(table("what about quota?")).toMatchObject({ kind: "quota", deployments: ["gpt-4o"], window: { kind: "relative", minutes: 60 } });
    expect(table("and the last failed requests for gpt-4o-mini today")).toMatchObject({ kind: "logs", template: "failed-requests", deployments: ["gpt-4o-mini"], window: { kind: "today" } });
    expect(table("and are logs still arriving?")).toMatchObject({ template: "absence", deployments: ["gpt-4o"], silentMinutes: 60 });
    expect(table("what about it?")).toBeUndefined();
  });

  it("keeps what the follow-up does not name, and a new window drops the old comparison", () => {
    const shifted = parse("tokens gpt-4o last hour vs last week by region top 3", ctx);
    const q = shifted.kind === "question" ? shifted.question : previous;
    const r = readFollowUp("what about today?", ctx);
    expect(q.baseline).toBe("week-before");
    const merged = r.kind === "follow-up" ? mergeFollowUp(q, r) : undefined;
    expect(merged).toMatchObject({ topic: "Tokens", window: { kind: "today" }, filters: { ModelDeploymentName: ["gpt-4o"] }, splitBy: "Region", top: 3 });
    expect(merged?.baseline).toBeUndefined();
  });
});
