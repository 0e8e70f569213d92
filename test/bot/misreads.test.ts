// The misreads seen in the demo during the throttling hour, asked again through the bot (the real
// SDK over the simulator): each is now understood as what was asked, or refused saying why.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import type { Reply } from "../../src/bot/reply.ts";
import { iso, resolveWindow } from "../../src/queries/time-window.ts";

const NOW = new Date("2026-12-01T14:30:00Z");

function demoBot(): Bot {
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW });
  return new Bot(source.service);
}

async function ask(text: string): Promise<{ reply: Reply; shown: string }> {
  const reply = await demoBot().ask(text, undefined, NOW);
  return { reply, shown: renderText(composeReply(reply, text)) };
}

function answer(reply: Reply) {
  if (reply.kind !== "answer") throw new Error(`expected an answer, got ${JSON.stringify(reply)}`);
  return reply.answer;
}

describe("misreads seen in the demo", () => {
  it('"latency on monday" is Monday, the day before the Tuesday asked on, compared with the Monday before', async () => {
    const { reply, shown } = await ask("latency on monday");
    const a = answer(reply);
    expect(a.window).toMatchObject({ start: "2026-11-30T00:00:00Z", end: "2026-12-01T00:00:00Z" });
    expect(a.baseline).toMatchObject({ timespan: "2026-11-23T00:00:00Z/2026-11-24T00:00:00Z", kind: "week-before" });
    expect(shown).toContain("Monday Nov 30");
    expect(shown).not.toContain("no deployment named");
  });

  it('"errors this morning" is 06:00–12:00 today, not the last hour', async () => {
    const a = answer((await ask("errors this morning")).reply);
    expect(a.window).toMatchObject({ start: "2026-12-01T06:00:00Z", end: "2026-12-01T12:00:00Z", label: "this morning (06:00–12:00)" });
    expect(a.baseline).toMatchObject({ timespan: "2026-11-30T06:00:00Z/2026-11-30T12:00:00Z", kind: "day-before" });
  });

  it('"embeddings latency" is the deployment whose model is an embedding model, and says so', async () => {
    const { reply, shown } = await ask("embeddings latency");
    expect(answer(reply).results[0]?.provenance.filter).toContain("ModelDeploymentName eq 'text-embedding-3-large'");
    expect(shown).toContain('"embeddings" read as text-embedding-3-large');
  });

  it('"the ptu deployment" is the one reporting provisioned utilisation', async () => {
    const { reply, shown } = await ask("errors for the ptu deployment today");
    expect(answer(reply).results[0]?.provenance.filter).toContain("ModelDeploymentName eq 'gpt-4o-ptu'");
    expect(shown).toContain("it reports provisioned (PTU) utilisation");
  });

  it('"mini" is gpt-4o-mini', async () => {
    expect(answer((await ask("mini 429s last hour")).reply).results[0]?.provenance.filter).toContain("ModelDeploymentName eq 'gpt-4o-mini'");
  });

  it('"top deployments by requests" splits by deployment, top 5', async () => {
    const a = answer((await ask("top deployments by requests")).reply);
    expect(a.results[0]).toMatchObject({ metric: "AzureOpenAIRequests", splitBy: "ModelDeploymentName" });
    expect(a.results[0]?.series.map((s) => s.dimensions.ModelDeploymentName)).toEqual(["gpt-4o-mini", "gpt-4o", "gpt-4o-ptu", "text-embedding-3-large"]);
  });

  it.each([
    ["latency stream=true", 'StreamType has no value "true"; it reports: Non-Streaming, Streaming.'],
    ["requests api=chat", 'ApiName has no value "chat"; it reports: Azure OpenAI API version 2024-10-21.'],
    ["errors region=moon", 'Region has no value "moon"; it reports: swedencentral.'],
  ])('"%s" lists the values Azure reports instead of "no data"', async (text, said) => {
    const { reply, shown } = await ask(text);
    expect(reply).toMatchObject({ kind: "error", code: "unknown_dimension_value", message: said });
    expect(shown).not.toContain("no data");
  });

  it('"stream=nonstreaming" is spelled the way Azure reports it', async () => {
    expect(answer((await ask("latency stream=nonstreaming")).reply).results[0]?.provenance.filter).toContain("StreamType eq 'Non-Streaming'");
  });

  it('"ptu utilization gpt-4o" says gpt-4o is not provisioned and which one is', async () => {
    const { reply } = await ask("ptu utilization gpt-4o");
    expect(reply).toMatchObject({ kind: "error", code: "not_provisioned", message: "gpt-4o is not a provisioned (PTU) deployment, so it has no PTU utilisation; provisioned: gpt-4o-ptu." });
    expect(answer((await ask("ptu utilization gpt-4o-ptu")).reply).results[0]?.value).toBeGreaterThan(0);
  });

  it.each([
    ["p50 latency for gpt-4o-mini today", 50, "gpt-4o-mini", "2026-12-01T00:00:00Z", "2026-12-01T14:30:00Z"],
    ["p95 latency gpt-4o last hour", 95, "gpt-4o", "2026-12-01T13:30:00Z", "2026-12-01T14:30:00Z"],
    ["p99 latency for gpt-4o last 24h", 99, "gpt-4o", "2026-11-30T14:30:00Z", "2026-12-01T14:30:00Z"],
    ["99th percentile latency of embeddings on monday", 99, "text-embedding-3-large", "2026-11-30T00:00:00Z", "2026-12-01T00:00:00Z"],
  ])('"%s" asks the request logs for that percentile, deployment and window', async (text, p, deployment, start, end) => {
    const understood = await demoBot().understand(text);
    if ("reply" in understood) throw new Error(`expected a question, got ${JSON.stringify(understood.reply)}`);
    const q = understood.question;
    expect(q).toMatchObject({ kind: "logs", template: "percentiles", percentiles: [p], deployments: [deployment] });
    const w = resolveWindow("window" in q ? q.window : { kind: "relative", minutes: 0 }, NOW, "UTC");
    expect([iso(w.start), iso(w.end)]).toEqual([start, end]);
  });
});
