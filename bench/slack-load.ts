// Slack acknowledgement under a crowd: N signed /aoai commands at once against a bot process of
// its own (Azure: the simulator over loopback in this process, 300 ms), each run's ack p50/p99 and
// the bot's CPU per command until the last ack, and the process's memory: idle after start, peak
// over the runs, and after them once the answers are delivered. The commands go out through
// signed-post.ts (node:http unless BENCH_CLIENT=fetch).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { EXAMPLES } from "../src/bot/examples.ts";
import { FakeSlackApi } from "../test/fakes/slack-api.ts";
import { SIGNING_SECRET, slashCommand } from "../test/fakes/slack-request.ts";
import { closeConnections, signedPost } from "./signed-post.ts";
import { simulatedAzureServer } from "./simulated-azure-server.ts";
import { memoryOf, spread } from "./stats.ts";

const NOW = new Date("2026-11-29T10:00:00Z");

export interface AckRun {
  readonly p50: number;
  readonly p99: number;
  /** The bot process's CPU (user + system) from the first command sent to the last ack, per command. */
  readonly ackCpuMs: number;
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
    // as the image runs the server (Dockerfile): glibc's arenas bounded
    MALLOC_ARENA_MAX: "2",
  };
  // started as `npm start` starts the server: with Node's compile cache
  const child = spawn(process.execPath, ["--import", join(import.meta.dirname, "..", "bin", "compile-cache.js"), join(import.meta.dirname, "server-child.ts")], { env, stdio: ["ignore", "pipe", "inherit"] });
  const port = await portOf(child);
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    pid: child.pid ?? 0,
    slack,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      closeConnections();
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
  const commands = Array.from({ length: concurrent }, (_, i) => slashCommand(EXAMPLES[i % EXAMPLES.length] ?? "latency", { response_url: `${bot.slack.url}${tag}${i}` }));
  const cpuBefore = cpuMsOf(bot.pid);
  const started = performance.now();
  const acks = await Promise.all(commands.map((command) => signedPost(bot.url, command)));
  const ackCpuMs = (cpuMsOf(bot.pid) - cpuBefore) / concurrent;
  const refused = acks.filter((a) => a.status !== 200).length;
  if (refused > 0) throw new Error(`${refused} of ${concurrent} commands were not acknowledged with 200`);
  await bot.slack.waitFor(() => (bot.slack.responses.filter((r) => r.path.startsWith(tag)).length >= concurrent ? true : undefined), 120_000);
  return { ...spread(acks.map((a) => a.ms)), ackCpuMs, allAnsweredMs: performance.now() - started };
}

/** User + system CPU time of a running process (ms), as the kernel counts it (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // the fields after the command name, which is in parentheses and may hold spaces
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { memoryOf };
