// The bot process the bench loads, in a process of its own so its memory is its own and the
// load generator does not share its event loop: the demo with BENCH_AZURE_LATENCY_MS of
// simulated Azure latency, Slack at SLACK_API_URL. Prints {"port":…} once listening; SIGTERM stops it.
import { startBotProcess } from "../src/app/bot-process.ts";
import { loadConfig } from "../src/app/config.ts";

const latency = Number(process.env.BENCH_AZURE_LATENCY_MS ?? "300");
const proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: process.env, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), demoLatencyMs: latency, runSchedules: false });
process.stdout.write(`${JSON.stringify({ port: proc.server.port })}\n`);
process.once("SIGTERM", () => {
  void proc.stop().then(() => process.exit(0));
});
