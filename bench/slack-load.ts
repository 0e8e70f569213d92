// Slack acknowledgement under a crowd: N signed /aoai commands at once against a bot process of
// its own (Azure: the simulator over loopback in this process, 300 ms), each run's ack p50/p99, and the process's memory: idle after
// start, peak over the runs, and after them once the answers are delivered.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { EXAMPLES } from "../src/bot/examples.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { sendSigned, SIGNING_SECRET, slashCommand } from "../test/fakes/slack-request.ts";
import { simulatedAzureServer } from "./simulated-azure-server.ts";
import { memoryOf, spread } from "./stats.ts";

const NOW = new Date("2026-11-29T10:00:00Z");

export interface AckRun {
  readonly p50: number;
  readonly p99: number;
  /** From the first command sent to the last answer delivered. */
  readonly allAnsweredMs: number;
}

export interface BotUnderLoad {
  readonly url: string;
  readonly pid: number;
  readonly slack: FakeSlackApi;
  stop(): Promise<void>;
}

export async function startBotUnderLoad(latencyMs: number): Promise<BotUnderLoad> {
  const slack = await new FakeSlackApi().start();
  const azure = await simulatedAzureServer(latencyMs, () => NOW);
  const env = {
    ...process.env,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
    AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-bench-")), "b.sqlite"),
    BENCH_AZURE_URL: azure.url,
    LOG_LEVEL: "error",
    PLAYGROUND: "0",
  };
  const child = spawn(process.execPath, [join(import.meta.dirname, "server-child.ts")], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = await portOf(child);
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    pid: child.pid ?? 0,
    slack,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await slack.close();
      await azure.close();
    },
  };
}

function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) throw new Error("the bot process has no stdout");
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (!line.startsWith('{"port"')) return;
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => {
      reject(new Error(`the bench's bot process exited (${code ?? "signal"}) before listening`));
    });
  });
}

let batch = 0;
/** One crowd: `concurrent` different questions at once; resolves once every answer reached Slack. */
export async function ackRun(bot: BotUnderLoad, concurrent: number): Promise<AckRun> {
  const tag = `/hooks/r${++batch}-`;
  const started = performance.now();
  const acks = await Promise.all(Array.from({ length: concurrent }, (_, i) => sendSigned(bot.url, slashCommand(EXAMPLES[i % EXAMPLES.length] ?? "latency", { response_url: `${bot.slack.url}${tag}${i}` }))));
  const refused = acks.filter((a) => a.status !== 200).length;
  if (refused > 0) throw new Error(`${refused} of ${concurrent} commands were not acknowledged with 200`);
  await bot.slack.waitFor(() => (bot.slack.responses.filter((r) => r.path.startsWith(tag)).length >= concurrent ? true : undefined), 120_000);
  return { ...spread(acks.map((a) => a.ms)), allAnsweredMs: performance.now() - started };
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { memoryOf };
