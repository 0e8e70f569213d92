// How many Azure requests the bot makes for a crowd: 100 identical questions at once, 100 mixed
// questions about one resource (each burst asked of a running server, its start-up lookups read
// first and counted apart), and the daily summary of 1 resource and of 20 in one region
// (the demo's simulated Azure Monitor answering for every resource id; the 20, configured in the
// demo's region, are read through the metrics batch API).
import type { HttpClient, PipelineRequest } from "@azure/core-rest-pipeline";
import { loadConfig } from "../src/app/config.ts";
import { createQuerySource, type QuerySource } from "../src/app/query-source.ts";
import { Bot } from "../src/bot/bot.ts";
import { EXAMPLES } from "../src/bot/examples.ts";
import { DEMO_DEPLOYMENTS, DEMO_REGION, DEMO_RESOURCE_ID } from "../src/demo/demo-resource.ts";
import { simulatorHttpClient } from "../src/demo/http-client.ts";
import { SimulatedAzureMonitor } from "../src/demo/simulator.ts";
import { startLookupWarmUp } from "../src/app/lookup-warm-up.ts";
import { silentLogger } from "../src/log/logger.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const ACCOUNT = /\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/?]+/i;

interface Counted {
  readonly source: QuerySource;
  /** Azure requests so far, tokens not counted. */
  readonly count: () => number;
}

function demoSource(): Counted {
  let n = 0;
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW, observeAzure: (r) => (r.api === "token" ? undefined : n++) });
  return { source, count: () => n };
}

/** `resources` Azure resources, each answered by the demo's simulator as if it were the demo account. */
function simulatedFleet(resources: number): Counted & { readonly ids: readonly string[] } {
  const ids = Array.from({ length: resources }, (_, i) => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-weu/providers/Microsoft.CognitiveServices/accounts/aoai-weu-${i + 1}`);
  const inner = simulatorHttpClient(new SimulatedAzureMonitor({ now: () => NOW, alsoAnswers: (id) => ids.some((i) => i.toLowerCase() === id.toLowerCase()) }));
  const httpClient: HttpClient = {
    sendRequest: (request: PipelineRequest) => {
      request.url = request.url.replace(ACCOUNT, DEMO_RESOURCE_ID);
      return inner.sendRequest(request);
    },
  };
  let n = 0;
  // as `resources: [{id, region}]` in aoai.config.yaml: the region lets the batch API read them together
  const config = { ...loadConfig({ env: { AOAI_RESOURCE_IDS: ids.join(",") }, cwd: "/nonexistent" }), regions: Object.fromEntries(ids.map((id) => [id.toLowerCase(), DEMO_REGION])) };
  const credential = { getToken: () => Promise.resolve({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const source = createQuerySource(config, { source: "azure", now: NOW, httpClient, credential, observeAzure: (r) => (r.api === "token" ? undefined : n++) });
  return { source, ids, count: () => n };
}

export interface RequestFigures {
  /** What a running server pays for the burst, its start-up lookups already read (identicalLookups). */
  readonly identical100: number;
  /** Lookups the server read at start, before the burst (metric definitions, deployment facts). */
  readonly identicalLookups: number;
  readonly mixed100: number;
  readonly mixedLookups: number;
  readonly summaryOne: number;
  readonly summaryTwenty: number;
}

/** Mixed questions about the demo resource: the examples over several windows. */
function mixedQuestions(n: number): string[] {
  const windows = ["", " 24h", " last 3 hours", " yesterday", " 7d"];
  return Array.from({ length: n }, (_, i) => `${EXAMPLES[i % EXAMPLES.length] ?? "latency"}${windows[Math.floor(i / EXAMPLES.length) % windows.length] ?? ""}`);
}

/** A server's start: its lookups read in the background (lookup-warm-up.ts) before the questions come; the requests that took. */
async function warmedUp(counted: Counted): Promise<number> {
  const warmUp = startLookupWarmUp(counted.source.service, silentLogger);
  await warmUp.first;
  warmUp.stop();
  return counted.count();
}

export async function azureRequests(): Promise<RequestFigures> {
  const same = demoSource();
  const sameBot = new Bot(same.source.service, undefined, { tables: same.source.tables });
  const identicalLookups = await warmedUp(same);
  await Promise.all(Array.from({ length: 100 }, () => sameBot.ask("latency gpt-4o")));
  const identical100 = same.count() - identicalLookups;

  const mixed = demoSource();
  const mixedBot = new Bot(mixed.source.service, undefined, { tables: mixed.source.tables });
  const questions = mixedQuestions(100);
  const mixedLookups = await warmedUp(mixed);
  await Promise.all(questions.map((q) => mixedBot.ask(q)));
  const mixed100 = mixed.count() - mixedLookups;

  // the demo has 4 deployments; the summary names 10 (6 of them silent), as a schedule's `deployments:` may
  const one = demoSource();
  const ten = [...DEMO_DEPLOYMENTS.map((d) => d.name), ...Array.from({ length: 10 - DEMO_DEPLOYMENTS.length }, (_, i) => `gpt-4o-team-${i + 1}`)];
  await one.source.service.summary(DEMO_RESOURCE_ID, NOW, "UTC", ten);
  const summaryOne = one.count();

  const fleet = simulatedFleet(20);
  // as a schedule's summary reads them: planned together, so each request goes as one batch call for all 20
  await fleet.source.service.summaries(fleet.ids, NOW, "UTC");
  const summaryTwenty = fleet.count();
  return { identical100, identicalLookups, mixed100, mixedLookups, summaryOne, summaryTwenty };
}
