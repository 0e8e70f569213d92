// `aoai`: ask from a shell or a script. Exit codes: 0 answered, 2 the question can't be
// answered (message on stderr), 3 bad configuration (names the key), 1 our own failure.
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { loadConfig } from "../app/config.ts";
import type { Config } from "../app/config.ts";
import { createQuerySource, type SourceName } from "../app/query-source.ts";
import { describeTarget } from "../schedules/schedule.ts";
import { slotAtOrBefore } from "../schedules/slots.ts";
import { keys } from "../store/keys.ts";
import { MAX_RUN_ATTEMPTS, type RunRecord } from "../store/store.ts";
import { Bot } from "../bot/bot.ts";
import { Conversation } from "../bot/conversation.ts";
import { composeReply } from "../bot/compose.ts";
import type { ErrorReply } from "../bot/reply.ts";
import { renderText } from "../bot/render-text.ts";
import { isTableQuestion } from "../bot/table-parse.ts";
import type { AzureMetrics } from "../queries/azure-metrics.ts";
import { ConfigError } from "../app/config-error.ts";
import { tableCommands } from "../app/chat-commands.ts";
import { answerJson, errorJson, planJson, tableAnswerJson, type CliError } from "./json-output.ts";
import { readKql } from "../bot/commands/kql.ts";
import { accessPolicy } from "../app/access-policy.ts";
import { TurnAccess } from "../bot/turn-access.ts";
import { guardOutput } from "./output.ts";
import { AuditArgsError } from "../audit/audit-args.ts";

const USAGE = `Usage:
  aoai ask [--json | --plan] [--now <ISO>] [--source demo|azure] [--config <file>] "<question>"
  aoai report <schedule> [--now <ISO>] [--print] [--config <file>]   run that schedule's slot at or before --now, once
  aoai metrics [--source demo|azure] [--config <file>]   list the metrics the resource reports
  aoai audit [--since 24h|7d|…] [--limit <n>] [--json] [--config <file>]   who asked what, where, newest first
  aoai help

Examples:
  aoai ask "latency gpt-4o 24h"
  aoai ask --json "how many 429s did gpt-4o-mini get yesterday?"
  aoai ask --plan "tokens by deployment 7d"`;

export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Where `aoai report` posts console targets, so a closed pipe fails the post (default: lines to `out`). */
  readonly stdout?: Writable;
}

/** The process's own streams, guarded so a reader that went away (`| head`) ends nothing but the output. */
function stdio(): CliIo {
  const out = guardOutput(process.stdout);
  const err = guardOutput(process.stderr);
  return { out: out.line, err: err.line, stdout: out.stream };
}

export async function runCli(argv: readonly string[], io: CliIo = stdio()): Promise<number> {
  // a script that asked for JSON reads stdout: failures are JSON there too (the person reads stderr)
  const asJson = argv.some((a) => a === "--json" || a === "--plan");
  const fail = (exit: number, error: CliError, text: string): number => {
    io.err(text);
    if (asJson) io.out(JSON.stringify(errorJson(error), null, 2));
    return exit;
  };
  const usage = (message: string, withUsage = false): number => fail(2, { code: "usage", message, hint: 'See "aoai help".' }, withUsage ? `${message}\n\n${USAGE}` : message);
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
        print: { type: "boolean", default: false },
        since: { type: "string" },
        limit: { type: "string" },
      },
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err), true);
  }
  const [command, ...rest] = args.positionals;
  if (args.values.help || command === undefined || command === "help") {
    io.out(USAGE);
    return command === undefined && !args.values.help ? 2 : 0;
  }
  const source = args.values.source;
  if (source !== undefined && source !== "demo" && source !== "azure") {
    return usage(`--source must be "demo" or "azure", not "${source}".`);
  }
  let now: Date | undefined;
  if (args.values.now !== undefined) {
    now = new Date(args.values.now);
    if (Number.isNaN(now.getTime())) {
      return usage(`--now must be an ISO 8601 time such as 2026-11-29T10:00:00Z, not "${args.values.now}".`);
    }
  }

  try {
    const config = loadConfig({ ...(args.values.config === undefined ? {} : { file: args.values.config }), ...(io.env ? { env: io.env } : {}) });
    const built = createQuerySource(config, { ...(source === undefined ? {} : { source }), ...(now ? { now } : {}) });
    // the CLI is one asker (platform "cli"): the same policy decides for it as for chat
    const access = accessPolicy(config);
    const cliAccess = new TurnAccess(access.grantFor({ platform: "cli" }), { platform: "cli" }, { kqlUsers: access.kqlUsers });
    const bot = new Bot(built.service, undefined, { verdict: config.verdict, tables: built.tables }).within(cliAccess);
    if (command === "report") return await runReport(config, rest[0], { print: args.values.print, ...(now ? { now } : {}), ...(source === undefined ? {} : { source }) }, io);
    /** A reply the bot could not answer: 1 when the failure is ours, 2 when the question is. */
    const failed = (reply: ErrorReply, asked: string): number => fail(reply.code === "internal" ? 1 : 2, reply, renderText(composeReply(reply, asked)));
    if (command === "audit") {
      if (!cliAccess.allows("audit")) return failed(bot.failure(cliAccess.deny("audit"), "audit"), "audit");
      try {
        // the store's drivers (pg) are only the audit's to load
        const { printAudit } = await import("./audit.ts");
        await printAudit(config, { json: args.values.json, env: io.env ?? process.env, ...(args.values.since === undefined ? {} : { since: args.values.since }), ...(args.values.limit === undefined ? {} : { limit: args.values.limit }) }, io.out);
        return 0;
      } catch (err) {
        if (err instanceof AuditArgsError) return fail(2, { code: err.code, message: err.message, ...(err.hint === undefined ? {} : { hint: err.hint }) }, `${err.message} ${err.hint ?? ""}`.trim());
        throw err;
      }
    }
    if (command === "metrics") {
      try {
        return await listMetrics(built.service.configuredResourceIds, built.metrics, io);
      } catch (err) {
        return failed(bot.failure(err, "metrics"), "metrics");
      }
    }
    if (command !== "ask") return usage(`Unknown command "${command}".`, true);
    const text = rest.join(" ");
    if (text.trim() === "") return usage(`Ask a question, e.g. aoai ask "latency last hour".`);
    if (!args.values.json && !args.values.plan) {
      // text output is what chat says: the one conversation entry (--json and --plan keep their contracts below)
      const said = await new Conversation(bot, tableCommands(bot, config), { access }).say(text, { platform: "cli" });
      if (said.kind !== "error") {
        io.out(renderText(said));
        return 0;
      }
      io.err(renderText(said));
      return said.reference === undefined ? 2 : 1;
    }
    // `doctor` and `kql` are commands, not questions: their JSON is the table they answer with
    const routed = new Conversation(bot, tableCommands(bot, config), { access }).commandFor(text).name;
    if (routed === "doctor" && args.values.json) {
      const checked = await bot.doctor();
      if (checked.kind === "error") return failed(checked, text);
      io.out(JSON.stringify(tableAnswerJson(checked.answer), null, 2));
      return 0;
    }
    if (routed === "kql") {
      if (!cliAccess.allows("kql")) return failed(bot.failure(cliAccess.deny("kql"), text), text);
      const question = readKql(text.trim().replace(/^kql\b/i, ""), "cli");
      if (question === undefined) return usage('Give the query after kql, e.g. aoai ask --json "kql AzureDiagnostics | take 5".');
      if (args.values.plan) {
        try {
          io.out(JSON.stringify({ requests: await bot.planTable(question, now) }, null, 2));
          return 0;
        } catch (err) {
          return failed(bot.failure(err, text), text);
        }
      }
      const reply = await bot.answerTable(question, now);
      if (reply.kind === "error") return failed(reply, text);
      io.out(reply.kind === "table" ? JSON.stringify(tableAnswerJson(reply.answer), null, 2) : renderText(composeReply(reply, text)));
      return 0;
    }
    const understood = await bot.understand(text, { platform: "cli" });
    if ("reply" in understood) {
      if (understood.reply.kind === "help") {
        io.out(args.values.json ? JSON.stringify({ help: understood.reply }) : renderText(composeReply(understood.reply, text)));
        return 0;
      }
      if (understood.reply.kind === "error") return failed(understood.reply, text);
      io.err(renderText(composeReply(understood.reply, text)));
      return 2;
    }
    if (args.values.plan) {
      try {
        const question = understood.question;
        if (isTableQuestion(question)) {
          io.out(JSON.stringify({ requests: await bot.planTable(question, now, understood.resources) }, null, 2));
          return 0;
        }
        const plan = await built.service.plan(question, now, undefined, understood.resources);
        io.out(JSON.stringify(planJson(plan, (reqs) => built.service.mayBeSentAs(reqs, plan.resources.length)), null, 2));
        return 0;
      } catch (err) {
        return failed(bot.failure(err, text), text);
      }
    }
    const reply = await bot.answer(understood.question, now, understood.resources);
    if (reply.kind === "error") return failed(reply, text);
    const json = !args.values.json ? undefined : reply.kind === "answer" ? answerJson(reply.answer, reply.verdict) : reply.kind === "table" ? tableAnswerJson(reply.answer) : undefined;
    io.out(json === undefined ? renderText(composeReply(reply, text)) : JSON.stringify(json, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) return fail(3, { code: err.code, message: err.message, key: err.key }, `Configuration error at ${err.key}: ${err.message}`);
    const message = err instanceof Error ? err.message : String(err);
    return fail(1, { code: "internal", message }, `Unexpected failure: ${message}`);
  }
}

/**
 * Runs a schedule's slot exactly as the scheduler would: same ledger claim (so twice, or from two
 * processes at once, posts once), same posters. --print renders it instead, claiming nothing.
 */
async function runReport(config: Config, name: string | undefined, o: { print: boolean; now?: Date; source?: SourceName }, io: CliIo): Promise<number> {
  if (!name) {
    io.err("Which schedule? aoai report <name> (see `schedules:` in the configuration).");
    return 2;
  }
  // console targets print where the command prints (stdout, or the caller's io in tests)
  const consoleOut =
    io.stdout ??
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        io.out(chunk.toString("utf8").trimEnd());
        done();
      },
    });
  // only `report` needs the chat platforms' SDKs: loading them lazily keeps `aoai ask` quick
  const { startBotProcess } = await import("../app/bot-process.ts");
  // no playground here: its page is the running bot's, so a report for it is that bot's to post
  const proc = await startBotProcess({ ...config, port: 0 }, { host: "127.0.0.1", runSchedules: false, consoleOut, ...(o.now ? { now: o.now } : {}), ...(o.source ? { source: o.source } : {}), env: { ...(io.env ?? process.env), PLAYGROUND: "0" } });
  try {
    const schedule = await proc.book.find(name);
    if (!schedule) {
      io.err(`No schedule named "${name}". Known: ${(await proc.book.all()).map((s) => s.name).join(", ") || "none"}.`);
      return 2;
    }
    const at = o.now ?? new Date();
    const slot = slotAtOrBefore(schedule, at);
    if (!slot) {
      io.err(`Schedule "${name}" (${schedule.cron} ${schedule.timezone}) has no slot in the 32 days before ${at.toISOString()}.`);
      return 2;
    }
    // claim the slot only where it can be posted: a target this process cannot reach would use up
    // the slot (and its retries) with nothing posted
    const unreachable = schedule.post.filter((t) => !proc.platforms.some((p) => p.name === t.platform && p.running.poster !== undefined));
    if (!o.print && unreachable.length > 0) {
      io.err(`Schedule "${name}" posts to ${unreachable.map(describeTarget).join(", ")}, which ${unreachable.length === 1 ? "is" : "are"} not configured for this process: nothing was claimed or posted. Set that platform's variables (see README) or let the running bot post it.`);
      return 3;
    }
    if (o.print) {
      const { reports, detail } = await proc.runner.preview(schedule, slot);
      io.out(reports.length > 0 ? reports.map((r) => renderText(r)).join("\n\n") : `${name} ${slot.toISOString()}: nothing to report — ${detail}`);
      return 0;
    }
    const outcome = await proc.runner.runSlot(schedule, slot);
    const detail = outcome.status === "skipped" ? ledgerSays(await proc.store.getRun(keys.run(name, slot))) ?? outcome.detail : outcome.detail;
    const line = `${name} ${slot.toISOString()}: ${outcome.status} — ${detail}`;
    if (outcome.status === "failed") {
      io.err(line);
      return 2;
    }
    io.out(line);
    return 0;
  } finally {
    await proc.stop();
  }
}

/** Why a slot was skipped, from its ledger row: done, running elsewhere, or failed and when it is tried again. */
function ledgerSays(run: RunRecord | undefined): string | undefined {
  if (!run) return undefined;
  const outcome = run.outcome ? `; it said: ${run.outcome}` : "";
  if (run.status === "done") return `already run${outcome}`;
  if (run.status === "claimed") return `being run by ${run.owner} (its lease ends ${new Date(run.leaseUntil).toISOString()})`;
  return run.attempt >= MAX_RUN_ATTEMPTS ? `failed ${run.attempt} times, not tried again${outcome}` : `failed, tried again from ${new Date(run.leaseUntil).toISOString()}${outcome}`;
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
