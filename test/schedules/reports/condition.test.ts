import { describe, expect, it } from "vitest";
import { renderBlockKit } from "../../../src/adapters/slack/render-blockkit.ts";
import { renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { renderText } from "../../../src/bot/render-text.ts";
import { conditionReport, parseCondition, type Evaluation } from "../../../src/schedules/reports/condition.ts";

const condition = parseCondition("429s > 10 over 1h for gpt-4o-mini", ["gpt-4o", "gpt-4o-mini"]);
const resolvedAt = new Date("2026-11-29T14:40:00Z");
const evaluation: Evaluation = { holds: false, value: 3, result: undefined, zone: "Europe/Berlin" };
const report = conditionReport(condition, evaluation, "resolved", "2026-11-29T14:00:00.000Z", 5, resolvedAt);

describe("condition reports show local times", () => {
  it("text shows them in the schedule's zone", () => {
    const text = renderText(report);
    expect(text).toContain("Resolved at Sun 29 Nov 15:40 Europe/Berlin: now 3 (threshold > 10).");
    expect(text).toContain("Held since Sun 29 Nov 15:00 Europe/Berlin over 5 checks.");
  });

  it("Slack and Teams show each reader's own time", () => {
    const slack = JSON.stringify(renderBlockKit(report));
    // a Slack date token: the client formats the instant in the viewer's zone
    expect(slack).toContain(`<!date^${Date.parse("2026-11-29T14:00:00Z") / 1000}^`);
    const card = JSON.stringify(renderAdaptiveCard(report));
    expect(card).toContain("{{TIME(2026-11-29T14:40:00Z)}}");
  });
});
