// `npm start`: the bot process. With no configuration it runs the embedded demo (simulated
// Azure Monitor). A terminal gets the `aoai>` console; without one it serves headless until SIGTERM.
import { parseArgs } from "node:util";
import { runConsole } from "./adapters/console/console.ts";
import { loadConfig } from "./app/config.ts";
import { startBotProcess, type BotProcess } from "./app/bot-process.ts";
import type { Config } from "./app/config.ts";
import { DEMO_DEPLOYMENTS } from "./demo/demo-resource.ts";
import { ConfigError } from "./app/config-error.ts";
import { PortUnavailableError } from "./app/server.ts";
import { StoreUnavailableError } from "./store/store-error.ts";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { config: { type: "string" }, source: { type: "string" } }, allowPositionals: false });
  if (values.source !== undefined && values.source !== "demo" && values.source !== "azure") {
    process.stderr.write(`--source must be "demo" or "azure"\n`);
    return 2;
  }
  const config = loadConfig(values.config === undefined ? {} : { file: values.config });
  const proc = await startBotProcess(config, values.source === undefined ? {} : { source: values.source });
  try {
    return await serve(proc, config);
  } catch (err) {
    await proc.stop().catch(() => undefined);
    throw err;
  }
}

async function serve(proc: BotProcess, config: Config): Promise<number> {
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
  say(`HTTP server on port ${server.port}, listening on ${reach} (${["/healthz", "/readyz", ...paths].join(", ")}).`);
  for (const p of proc.platforms) for (const line of p.running.banner) say(line);
  const schedules = await proc.book.all();
  const where = process.stdin.isTTY ? "at the prompt below or in a chat channel" : "in a chat channel";
  say(`Schedules: ${schedules.length === 0 ? `none (add \`schedules:\` to aoai.config.yaml, or say "schedule daily 09:00 Europe/Berlin" ${where})` : schedules.map((x) => `${x.name}${x.paused ? " (paused)" : ""}`).join(", ")}.`);

  const stop = () => proc.stop();
  if (process.stdin.isTTY) {
    say('Ask a question (e.g. "latency gpt-4o 24h"), "help" for examples and commands, "exit" to quit.');
    await runConsole({ conversation, input: process.stdin, output: process.stdout, terminal: true });
    await stop();
    return 0;
  }
  say("No terminal on stdin: running headless until SIGTERM.");
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => { resolve(); });
    process.once("SIGINT", () => { resolve(); });
  });
  await stop();
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
