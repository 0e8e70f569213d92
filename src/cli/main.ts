// `aoai`: ask from a shell or a script. Exit codes: 0 answered, 2 the question can't be
// answered (message on stderr), 3 bad configuration (names the key), 1 our own failure.
import { parseArgs } from "node:util";
import { loadConfig } from "../app/config.ts";
import { createQuerySource } from "../app/query-source.ts";
import { Bot } from "../bot/bot.ts";
import { renderText } from "../bot/render-text.ts";
import type { AzureMetrics } from "../queries/azure-metrics.ts";
import { ConfigError } from "../queries/errors.ts";
import { answerJson, planJson } from "./json-output.ts";

const USAGE = `Usage:
  aoai ask [--json | --plan] [--now <ISO>] [--source demo|azure] [--config <file>] "<question>"
  aoai metrics [--source demo|azure] [--config <file>]   list the metrics the resource reports
  aoai help

Examples:
  aoai ask "latency gpt-4o 24h"
  aoai ask --json "how many 429s did gpt-4o-mini get yesterday?"
  aoai ask --plan "tokens by deployment 7d"`;

export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

const stdio: CliIo = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

export async function runCli(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        plan: { type: "boolean", default: false },
        now: { type: "string" },
        source: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = args.positionals;
  if (args.values.help || command === undefined || command === "help") {
    io.out(USAGE);
    return command === undefined && !args.values.help ? 2 : 0;
  }
  const source = args.values.source;
  if (source !== undefined && source !== "demo" && source !== "azure") {
    io.err(`--source must be "demo" or "azure", not "${source}".`);
    return 2;
  }
  let now: Date | undefined;
  if (args.values.now !== undefined) {
    now = new Date(args.values.now);
    if (Number.isNaN(now.getTime())) {
      io.err(`--now must be an ISO 8601 time such as 2026-11-29T10:00:00Z, not "${args.values.now}".`);
      return 2;
    }
  }

  try {
    const config = loadConfig({ ...(args.values.config === undefined ? {} : { file: args.values.config }), ...(io.env ? { env: io.env } : {}) });
    const built = createQuerySource(config, { ...(source === undefined ? {} : { source }), ...(now ? { now } : {}) });
    const bot = new Bot(built.service);
    if (command === "metrics") {
      try {
        return await listMetrics(built.service.configuredResourceIds, built.metrics, io);
      } catch (err) {
        const reply = bot.failure(err, "metrics");
        io.err(renderText(reply));
        return reply.code === "internal" ? 1 : 2;
      }
    }
    if (command !== "ask") {
      io.err(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
    }
    const text = rest.join(" ");
    if (text.trim() === "") {
      io.err(`Ask a question, e.g. aoai ask "latency last hour".`);
      return 2;
    }
    const understood = await bot.understand(text, { platform: "cli" });
    if ("reply" in understood) {
      if (understood.reply.kind === "help") {
        io.out(args.values.json ? JSON.stringify({ help: understood.reply }) : renderText(understood.reply));
        return 0;
      }
      io.err(renderText(understood.reply));
      return understood.reply.kind === "error" && understood.reply.code === "internal" ? 1 : 2;
    }
    if (args.values.plan) {
      try {
        const plan = await built.service.plan(understood.question, now);
        io.out(JSON.stringify(planJson(plan.requests.map((p) => p.request)), null, 2));
        return 0;
      } catch (err) {
        const reply = bot.failure(err, text);
        io.err(renderText(reply));
        return reply.code === "internal" ? 1 : 2;
      }
    }
    const reply = await bot.answer(understood.question, now);
    if (reply.kind === "error") {
      io.err(renderText(reply));
      return reply.code === "internal" ? 1 : 2;
    }
    io.out(args.values.json && reply.kind === "answer" ? JSON.stringify(answerJson(reply.answer), null, 2) : renderText(reply));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`Configuration error at ${err.key}: ${err.message}`);
      return 3;
    }
    io.err(`Unexpected failure: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function listMetrics(resourceIds: readonly string[], metrics: AzureMetrics, io: CliIo): Promise<number> {
  for (const id of resourceIds) {
    const defs = await metrics.definitions(id);
    io.out(id);
    for (const d of defs) io.out(`  ${(d.name?.value ?? "").padEnd(44)} ${(d.unit ?? "").padEnd(13)} ${d.primaryAggregationType ?? ""}  dims: ${(d.dimensions ?? []).map((x) => x.value).join(", ")}`);
  }
  return 0;
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
