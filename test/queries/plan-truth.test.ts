// The plan is the whole truth: for every scenario question asked of the demo (the real SDK over
// the simulator), Azure receives exactly the requests its plan lists that ran, and deployments once.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import type { Reply } from "../../src/bot/reply.ts";
import { isTableQuestion } from "../../src/bot/table-parse.ts";
import { simulatorHttpClient } from "../../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../../src/demo/simulator.ts";
import { planLookups, type Plan } from "../../src/queries/plan.ts";
import { GOLDEN_QUESTIONS } from "../scenarios/golden-questions.ts";
import { SCENARIO_NOW, SCENARIOS } from "../scenarios/scenarios.ts";
import { expectSentAsPlanned, isDataRequest, isLookup, plannedKey, recording, sentKey, type Sent } from "./sent-requests.ts";

/** Beyond the scenarios: questions whose plans have checks (zero checks split and unsplit, FULL fallbacks). */
const MORE = ["how many 429s did gpt-4o-mini get yesterday?", "429s by deployment yesterday", "429s for text-embedding-3-large last hour", "5xx last hour", "latency by deployment 24h", "blocked calls last hour for deployment gpt-4o"];
const QUESTIONS = [...new Set([...GOLDEN_QUESTIONS.map(([, text]) => text), ...SCENARIOS.map((s) => s.say), ...MORE])];

/** Asks the way a chat platform does (understand, then answer), recording what reached Azure. */
async function ask(text: string): Promise<{ sent: Sent[]; plan?: Plan; reply: Reply; lookups: number }> {
  const rec = recording(simulatorHttpClient(new SimulatedAzureMonitor({ now: () => SCENARIO_NOW })));
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: SCENARIO_NOW, httpClient: rec.client });
  const bot = new Bot(source.service);
  const understood = await bot.understand(text);
  // the demo resource's metric definitions (its metric family) and deployments
  if ("reply" in understood) return { sent: rec.sent, reply: understood.reply, lookups: 2 };
  // answered with a table (percentiles, quota): no metric plan, and nothing sent for figures
  if (isTableQuestion(understood.question)) return { sent: rec.sent, reply: await bot.answer(understood.question, SCENARIO_NOW, understood.resources), lookups: 2 };
  // a question refused while planning (a filter value Azure never reported) still sent the lookups the plan would list
  const lookups = planLookups(understood.question, understood.resources).length;
  const plan = await source.service.plan(understood.question, SCENARIO_NOW, undefined, understood.resources).catch(() => undefined);
  const reply = await bot.answer(understood.question, SCENARIO_NOW, understood.resources);
  return { sent: rec.sent, reply, lookups, ...(plan ? { plan } : {}) };
}

describe("every request a question sends is in its plan", () => {
  it.each(QUESTIONS)("%s", async (text) => {
    const { sent, plan, reply, lookups } = await ask(text);
    // deployments: one lookup for the whole question, understanding and answering alike; one per filtered dimension's values
    expect(sent.filter(isLookup)).toHaveLength(lookups);
    if (plan === undefined) {
      expect(sent.filter(isDataRequest)).toHaveLength(0);
      return;
    }
    expect(plan.lookups).toHaveLength(lookups);
    expect(sent.filter(isLookup).map((s) => [s.query.metricnames, s.query.$filter])).toEqual(plan.lookups.map((l) => [l.metricnames, l.filter]));
    expect(reply.kind).toBe("answer");
    expectSentAsPlanned(sent, plan, reply.kind === "answer" ? reply.answer.requests : []);
  });

  it("lists the checks an answer might need even when the demo's answers need none, and sends them only then", async () => {
    let listed = 0;
    for (const text of MORE) {
      const { sent, plan } = await ask(text);
      const got = new Set(sent.filter(isDataRequest).map(sentKey));
      const conditional = plan?.requests.filter((r) => r.conditional !== undefined) ?? [];
      listed += conditional.length;
      // the demo sends counts with every point and lists a 429 series wherever there was traffic
      expect(conditional.filter((p) => got.has(plannedKey(p.request)))).toEqual([]);
    }
    expect(listed).toBeGreaterThan(0);
  });
});
