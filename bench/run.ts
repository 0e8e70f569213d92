// `npm run bench`: how fast questions are understood and planned, and how long a demo answer
// takes end to end (parse → plan → @azure/arm-monitor → simulated Azure Monitor → text).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBotProcess } from "../src/app/bot-process.ts";
import { loadConfig } from "../src/app/config.ts";
import { createQuerySource } from "../src/app/query-source.ts";
import { Bot } from "../src/bot/bot.ts";
import { EXAMPLES } from "../src/bot/examples.ts";
import { parse } from "../src/bot/parse.ts";
import { composeReply } from "../src/bot/compose.ts";
import { renderText } from "../src/bot/render-text.ts";
import { planQuestion } from "../src/queries/plan.ts";
import type { Resource } from "../src/queries/resources.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { sendSigned, SIGNING_SECRET, slashCommand } from "../test/fakes/slack-request.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const DEPLOYMENTS = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"];
const RESOURCES: Resource[] = [{ id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a", name: "a", deployments: DEPLOYMENTS }];
const QUESTIONS = [...EXAMPLES, "latncy gpt-4o-mini since 09:00", "errors by deployment between 10:00 and 11:00", "what is the weather", "deployment=x' or Region eq '*"];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

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

const rate = planned(3);
console.log(`questions understood + planned: ${Math.round(rate).toLocaleString("en-US")} per second (${QUESTIONS.length} phrasings, 3 s)`);
const e2e = await endToEnd(10);
console.log(`demo answer end to end (${e2e.answers} answers): p50 ${e2e.p50.toFixed(1)} ms, p95 ${e2e.p95.toFixed(1)} ms, p99 ${e2e.p99.toFixed(1)} ms; ${(e2e.requests / e2e.answers).toFixed(2)} Azure requests per answer`);
const slow = await endToEnd(2, 300);
console.log(`same with 300 ms simulated Azure latency (${slow.answers} answers): p50 ${slow.p50.toFixed(0)} ms, p99 ${slow.p99.toFixed(0)} ms (requests of one answer run in parallel)`);

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

await tableAnswers(4);

/** 100 signed /aoai commands at once, Azure answering in 300 ms: how fast Slack gets its acknowledgement. */
async function slackAck(concurrent: number): Promise<void> {
  const slack = await new FakeSlackApi().start();
  const env = { SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-bench-")), "b.sqlite") };
  const proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env, host: "127.0.0.1", source: "demo", now: NOW, demoLatencyMs: 300 });
  const url = `http://127.0.0.1:${proc.server.port}/slack/events`;
  await sendSigned(url, slashCommand("latency", { response_url: `${slack.url}/hooks/warm` }));
  await slack.waitFor(() => slack.responses.find((r) => r.path === "/hooks/warm"), 30_000);
  const started = performance.now();
  const acks = await Promise.all(Array.from({ length: concurrent }, (_, i) => sendSigned(url, slashCommand(EXAMPLES[i % EXAMPLES.length] ?? "latency", { response_url: `${slack.url}/hooks/b${i}` }))));
  const ackMs = acks.map((a) => a.ms).sort((a, b) => a - b);
  await slack.waitFor(() => (slack.responses.filter((r) => r.path.startsWith("/hooks/b")).length === concurrent ? true : undefined), 60_000);
  const allAnswered = performance.now() - started;
  console.log(`slack /aoai ack, ${concurrent} concurrent, 300 ms Azure: p50 ${percentile(ackMs, 50).toFixed(1)} ms, p99 ${percentile(ackMs, 99).toFixed(1)} ms, ${acks.filter((a) => a.status === 200).length}/${concurrent} acked 200; all answers delivered after ${allAnswered.toFixed(0)} ms`);
  await proc.stop();
  await slack.close();
}

await slackAck(100);
