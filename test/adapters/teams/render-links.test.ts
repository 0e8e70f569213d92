// "Open in Azure portal" in Teams: Action.OpenUrl buttons in an ActionSet in the card's body, so the
// follow-up buttons keep the card's own actions.
import { describe, expect, it } from "vitest";
import { renderAdaptiveCard } from "../../../src/adapters/teams/render-adaptive-card.ts";
import { message } from "../../../src/bot/message.ts";

describe("portal links on Teams", () => {
  it("are Action.OpenUrl buttons in the body; the follow-ups stay the card's actions", () => {
    const links = [{ label: "Open in Azure portal", url: "https://portal.azure.us/#blade/Microsoft_Azure_MonitoringMetrics/Metrics.ReactView/x" }];
    const card = renderAdaptiveCard(message("answer", "info", "Requests — last 1 h", { links, footnotes: ["Source: x"], actions: [{ label: "Refresh", followUp: { kind: "refresh", text: "requests" } }] }));
    const set = card.body.find((e) => e.type === "ActionSet");
    expect(set?.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Azure portal", url: links[0]?.url }]);
    // under the source lines it continues from
    expect(card.body.at(-1)).toBe(set);
    expect(card.actions.map((a) => a.type)).toEqual(["Action.Execute"]);
  });

  it("an answer without links has no ActionSet", () => {
    const card = renderAdaptiveCard(message("answer", "info", "Requests"));
    expect(card.body.some((e) => e.type === "ActionSet")).toBe(false);
  });
});
