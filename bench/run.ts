// `npm run bench`: how fast questions are understood and planned, how long answers take end to
// end (parse → plan → @azure/arm-monitor → simulated Azure Monitor → text), how fast Slack gets
// its acknowledgement from a crowd, how many Azure requests crowds and summaries cost, and the bot
// process's memory. Each headline figure is the median of several runs; the last lines are a
// markdown table for the README. About two minutes on 2 cores.
import { loadConfig } from "../src/app/config.ts";
import { createQuerySource } from "../src/app/query-source.ts";
import { Bot } from "../src/bot/bot.ts";
import { EXAMPLES } from "../src/bot/examples.ts";
import { parse } from "../src/bot/parse.ts";
import { composeReply } from "../src/bot/compose.ts";
import { renderText } from "../src/bot/render-text.ts";
import { planQuestion } from "../src/queries/plan.ts";
import type { Resource } from "../src/queries/resources.ts";
import { answerLatency } from "./answer-latency.ts";
import { azureRequests } from "./azure-requests.ts";
import { ackRun, memoryOf, settle, startBotUnderLoad, type AckRun } from "./slack-load.ts";
import { median, medianOf, percentile } from "./stats.ts";

/** Runs of each headline figure; the median is printed. */
const RUNS = 3;
const NOW = new Date("2026-11-29T10:00:00Z");
const DEPLOYMENTS = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"];
const RESOURCES: Resource[] = [{ id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a", name: "a", deployments: DEPLOYMENTS }];
const QUESTIONS = [...EXAMPLES, "latncy gpt-4o-mini since 09:00", "errors by deployment between 10:00 and 11:00", "what is the weather", "deployment=x' or Region eq '*"];

function planned(seconds: number): number {
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (const q of QUESTIONS) {
      try {
        const r = parse(q, { deployments: DEPLOYMENTS });
        if (r.kind === "question") planQuestion(r.question, RESOURCES, NOW, "Europe/Berlin");
      } catch {
        // unanswerable questions are part of the mix: explaining them is work too
      }
      n++;
    }
  }
  return n / seconds;
}

async function endToEnd(rounds: number, latencyMs?: number): Promise<{ p50: number; p95: number; p99: number; requests: number; answers: number }> {
  const source = createQuerySource(loadConfig({ env: {}, cwd: "/nonexistent" }), { source: "demo", now: NOW, ...(latencyMs === undefined ? {} : { demoLatencyMs: latencyMs }) });
  const bot = new Bot(source.service);
  await bot.ask("latency"); // warm-up: deployment discovery, JIT
  const before = source.metrics.requestCount;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const q of EXAMPLES) {
      const t = performance.now();
      renderText(composeReply(await bot.ask(q), q));
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), requests: source.metrics.requestCount - before, answers: times.length };
}

const rate = median(Array.from({ length: RUNS }, () => planned(1)));
console.log(`questions understood + planned: ${Math.round(rate).toLocaleString("en-US")} per second (${QUESTIONS.length} phrasings, median of ${RUNS} × 1 s)`);
const e2e = await endToEnd(5);
console.log(`demo answer end to end (${e2e.answers} answers): p50 ${e2e.p50.toFixed(1)} ms, p95 ${e2e.p95.toFixed(1)} ms, p99 ${e2e.p99.toFixed(1)} ms; ${(e2e.requests / e2e.answers).toFixed(2)} Azure metric requests per answer`);

const AZURE_MS = 300;
const slow = medianOf(await sequential(RUNS, () => answerLatency(AZURE_MS, 10)));
console.log(`answer with ${AZURE_MS} ms Azure latency (windows differ, nothing shared; median of ${RUNS} × 10): p50 ${slow.p50.toFixed(0)} ms, p99 ${slow.p99.toFixed(0)} ms, ${slow.overhead.toFixed(2)}× one Azure round trip`);

/** Table answers on the demo: resource-log templates, the activity log, quota and doctor, each asked cold (first) then warm. */
const TABLE_QUESTIONS = ["p95 latency for gpt-4o last 24h", "p95 latency last hour", "last 10 failed requests for gpt-4o-mini", "top callers today", "logs errors by deployment", "what changed this week?", "how close is gpt-4o-mini to its limit?", "are logs arriving for gpt-4o?"];
async function tableAnswers(rounds: number): Promise<void> {
  const config = loadConfig({ env: {}, cwd: "/nonexistent" });
  const source = createQuerySource(config, { source: "demo", now: new Date("2026-12-01T14:30:00Z") });
  const bot = new Bot(source.service, undefined, { tables: source.tables });
  const cold: string[] = [];
  const byQuestion = new Map<string, number[]>();
  for (let i = 0; i < rounds; i++) {
    for (const q of TABLE_QUESTIONS) {
      const t = performance.now();
      const reply = await bot.ask(q);
      const ms = performance.now() - t;
      if (reply.kind !== "table") throw new Error(`"${q}" was not answered with a table: ${reply.kind === "error" ? reply.message : reply.kind}`);
      if (i === 0) cold.push(ms.toFixed(0));
      else byQuestion.set(q, [...(byQuestion.get(q) ?? []), ms]);
    }
  }
  const warm = [...byQuestion.values()].map((ms) => percentile([...ms].sort((a, b) => a - b), 50));
  console.log(`demo table answers (${TABLE_QUESTIONS.length} questions: percentiles 24h and 1h, failed requests, callers, errors by deployment, activity week, quota 24h, log absence): first ask ${cold.join("/")} ms; warm median per question ${warm.map((m) => m.toFixed(0)).join("/")} ms`);
  const t = performance.now();
  await bot.doctor();
  console.log(`demo doctor (6 checks): ${(performance.now() - t).toFixed(0)} ms`);
}

await tableAnswers(3);

const requests = await azureRequests();
console.log(`Azure requests: 100 identical questions at once ${requests.identical100} in all (+ ${requests.identicalLookups} lookups read at start); 100 mixed about one resource ${requests.mixed100} (${(requests.mixed100 / 100).toFixed(2)} per question, + ${requests.mixedLookups} lookups read at start); daily summary of 1 resource × 10 deployments ${requests.summaryOne}, of 20 resources in one region ${requests.summaryTwenty} (cold: definitions included)`);

/** Slack acknowledgements from a bot process of its own, and that process's memory. */
const bot = await startBotUnderLoad(AZURE_MS);
await settle(2_000);
const idle = memoryOf(bot.pid);
await ackRun(bot, 5); // warm-up: deployment discovery, JIT, the store's first writes
const acks = new Map<number, AckRun>();
for (const concurrent of [50, 200]) {
  const run = medianOf(await sequential(RUNS, () => ackRun(bot, concurrent)));
  acks.set(concurrent, run);
  console.log(`slack /aoai ack, ${concurrent} concurrent signed commands, ${AZURE_MS} ms Azure (median of ${RUNS}): p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms; all answers delivered after ${run.allAnsweredMs.toFixed(0)} ms`);
}
await settle(3_000);
const after = memoryOf(bot.pid);
await bot.stop();
console.log(`bot process RSS: idle after start ${idle.rssMiB.toFixed(0)} MiB, peak ${after.peakMiB.toFixed(0)} MiB, after the runs ${after.rssMiB.toFixed(0)} MiB (${(((after.rssMiB - idle.rssMiB) / idle.rssMiB) * 100).toFixed(0)} % over idle)`);

const ack50 = acks.get(50);
const ack200 = acks.get(200);
const rows: [string, string][] = [
  ["Slack ack, 50 concurrent `/aoai` (p50 / p99)", `${ack50?.p50.toFixed(0)} / ${ack50?.p99.toFixed(0)} ms`],
  ["Slack ack, 200 concurrent `/aoai` (p50 / p99)", `${ack200?.p50.toFixed(0)} / ${ack200?.p99.toFixed(0)} ms`],
  [`Answer with ${AZURE_MS} ms Azure latency (p50 / p99)`, `${slow.p50.toFixed(0)} / ${slow.p99.toFixed(0)} ms`],
  ["Bot overhead vs one Azure round trip", `${slow.overhead.toFixed(2)}×`],
  ["Azure requests, 100 identical questions at once", `${requests.identical100} in all (+ ${requests.identicalLookups} lookups read at start)`],
  ["Azure requests, 100 mixed questions about one resource", `${requests.mixed100} (${(requests.mixed100 / 100).toFixed(2)} per question; + ${requests.mixedLookups} lookups read at start)`],
  ["Azure requests, daily summary of 1 resource × 10 deployments", String(requests.summaryOne)],
  ["Azure requests, daily summary of 20 resources in one region", String(requests.summaryTwenty)],
  ["RSS idle after start / peak / after the run", `${idle.rssMiB.toFixed(0)} / ${after.peakMiB.toFixed(0)} / ${after.rssMiB.toFixed(0)} MiB`],
  ["Questions parsed + planned per second (one core)", Math.round(rate).toLocaleString("en-US")],
];
console.log(`\n| figure (median of ${RUNS} runs, 2 cores, loopback fakes) | value |\n|---|---|`);
for (const [figure, value] of rows) console.log(`| ${figure} | ${value} |`);

/** Runs one after another (they measure time: never in parallel). */
async function sequential<T>(n: number, run: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await run());
  return out;
}
