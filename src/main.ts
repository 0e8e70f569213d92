// `npm start`: the bot process. With no configuration it runs the embedded demo (simulated
// Azure Monitor). A terminal gets the `aoai>` console; without one it serves headless until SIGTERM.
import { parseArgs } from "node:util";
import { runConsole } from "./adapters/console/console.ts";
import { loadConfig } from "./app/config.ts";
import { startBotProcess, type BotProcess } from "./app/bot-process.ts";
import type { Config } from "./app/config.ts";
import { DEMO_DEPLOYMENTS } from "./demo/demo-resource.ts";
import { accessBanner } from "./access/banner.ts";
import { ConfigError } from "./app/config-error.ts";
import { PortUnavailableError } from "./app/server.ts";
import { StoreUnavailableError } from "./store/store-error.ts";
import { startLookupWarmUp } from "./app/lookup-warm-up.ts";
import { sharedLogger } from "./log/pino-logger.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { config: { type: "string" }, source: { type: "string" } }, allowPositionals: false });
  if (values.source !== undefined && values.source !== "demo" && values.source !== "azure") {
    process.stderr.write(`--source must be "demo" or "azure"\n`);
    return 2;
  }
  const config = loadConfig(values.config === undefined ? {} : { file: values.config });
  // listened for from here: a SIGTERM while starting stops the process once it has started
  const signalled = firstSignal();
  const proc = await startBotProcess(config, values.source === undefined ? {} : { source: values.source });
  // the server reads the resources' lookups now and keeps them fresh, in the background: no question waits on them
  const warmUp = startLookupWarmUp(proc.source.service, sharedLogger());
  try {
    return await serve(proc, config, signalled);
  } catch (err) {
    await proc.stop().catch(() => undefined);
    throw err;
  } finally {
    warmUp.stop();
  }
}

async function serve(proc: BotProcess, config: Config, signalled: Promise<NodeJS.Signals>): Promise<number> {
  const { source, conversation, server } = proc;
  const say = (s: string) => process.stderr.write(`${s}\n`);

  if (source.name === "demo") {
    say(`aoai-bot in DEMO mode: answering from a simulated Azure Monitor (resource aoai-demo; deployments ${DEMO_DEPLOYMENTS.map((d) => d.name).join(", ")}).`);
    say("To use real Azure: set AOAI_RESOURCE_IDS=/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>");
    say("and sign in (az login, a service principal in AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or managed identity). See README.md.");
  } else {
    say(`aoai-bot answering from Azure Monitor for ${config.resourceIds.length} resource(s), time zone ${config.timezone}.`);
  }
  const paths = proc.platforms.flatMap((p) => p.running.paths);
  const reach = server.host === "127.0.0.1" || server.host === "::1" ? "this machine only (no chat service needs to reach it; HOST=0.0.0.0 opens it)" : server.host;
  say(`HTTP server on port ${server.port}, listening on ${reach} (${["/healthz", "/readyz", "/metrics", ...paths].join(", ")}).`);
  for (const p of proc.platforms) for (const line of p.running.banner) say(line);
  say(accessBanner(proc.access, proc.platforms.map((p) => p.name)));
  const schedules = await proc.book.all();
  const where = process.stdin.isTTY ? "at the prompt below or in a chat channel" : "in a chat channel";
  say(`Schedules: ${schedules.length === 0 ? `none (add \`schedules:\` to aoai.config.yaml, or say "schedule daily 09:00 Europe/Berlin" ${where})` : schedules.map((x) => `${x.name}${x.paused ? " (paused)" : ""}`).join(", ")}.`);

  if (process.stdin.isTTY) {
    say('Ask a question (e.g. "latency gpt-4o 24h"), "help" for examples and commands, "exit" to quit.');
    const ended = await Promise.race([runConsole({ conversation, input: process.stdin, output: process.stdout, terminal: true }).then(() => undefined), signalled]);
    // a signal leaves the prompt waiting on stdin, which would keep the process alive
    if (ended !== undefined) process.stdin.destroy();
    return shutdown(proc, say, ended);
  }
  say("No terminal on stdin: running headless until SIGTERM.");
  return shutdown(proc, say, await signalled);
}

/** 128 + the signal's number, as shells report a process a signal ended. */
const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };
/** After a drained stop the process ends on its own; this catches a library handle that would keep it up. */
const EXIT_BACKSTOP_MS = 5_000;

/** The first SIGTERM or SIGINT; from then on a second one exits at once, non-zero. */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const again = (second: NodeJS.Signals) => {
      process.stderr.write(`${second} again: exiting now, without finishing.\n`);
      process.exit(SIGNAL_EXIT[second] ?? 1);
    };
    const first = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", first);
      process.off("SIGINT", first);
      process.on("SIGTERM", again);
      process.on("SIGINT", again);
      resolve(signal);
    };
    process.on("SIGTERM", first);
    process.on("SIGINT", first);
  });
}

/**
 * Drains (AOAI_DRAIN_MS) and exits 0; a second signal during the drain exits at once, non-zero.
 * Work the drain had to abandon was handed back (its schedule slots released), so the process exits
 * there and then rather than let that work go on alongside the replica that takes it over.
 */
async function shutdown(proc: BotProcess, say: (s: string) => void, signal: NodeJS.Signals | undefined): Promise<number> {
  if (signal) say(`${signal}: stopping; finishing in-flight answers and reports first (a second ${signal} exits at once).`);
  const report = await proc.shutdown().catch((err: unknown) => {
    // not "failed to start": it ran, and something it opened would not close
    say(`aoai-bot stopped with an error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  if (report.released.length > 0) say(`Released unfinished report slot(s) for another replica: ${report.released.join(", ")}.`);
  if (!report.drained) {
    say("Stopped with work unfinished (AOAI_DRAIN_MS ran out).");
    process.exit(0);
  }
  say("Stopped.");
  setTimeout(() => process.exit(0), EXIT_BACKSTOP_MS).unref();
  return 0;
}

/** How a start that failed ends, by what failed: scripts and orchestrators can tell them apart. */
function exitCodeFor(err: unknown): number {
  if (err instanceof ConfigError || err instanceof PortUnavailableError) return 3;
  if (err instanceof StoreUnavailableError) return 4;
  return 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`Configuration error at ${err.key}: ${err.message}\n`);
    else if (err instanceof PortUnavailableError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof StoreUnavailableError) process.stderr.write(`aoai-bot failed to start: ${err.message}. Check DATABASE_URL (or AOAI_SQLITE_FILE) and that the database is up.\n`);
    else process.stderr.write(`aoai-bot failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    // startBotProcess closed what it opened; exiting here also ends whatever a dependency left running
    process.exit(exitCodeFor(err));
  },
);
