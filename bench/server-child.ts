// The bot process the bench loads, in a process of its own so its memory is its own and the
// load generator does not share its event loop. With BENCH_AZURE_URL it asks "Azure" there (the
// simulator served by the bench over loopback, simulated-azure-server.ts); otherwise the
// in-process demo with BENCH_AZURE_LATENCY_MS. Prints {"port":…} once listening; SIGTERM stops it.
import { startBotProcess } from "../src/app/bot-process.ts";
import { loadConfig } from "../src/app/config.ts";
import { DEMO_RESOURCE_ID } from "../src/demo/demo-resource.ts";
import { forwardingHttpClient } from "../test/fakes/loopback.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const config = { ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 };
const azure = process.env.BENCH_AZURE_URL;
const credential = { getToken: () => Promise.resolve({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const proc =
  azure === undefined
    ? await startBotProcess(config, { env: process.env, host: "127.0.0.1", source: "demo", now: NOW, demoLatencyMs: Number(process.env.BENCH_AZURE_LATENCY_MS ?? "300"), runSchedules: false })
    : await startBotProcess({ ...config, resourceIds: [DEMO_RESOURCE_ID] }, { env: process.env, host: "127.0.0.1", source: "azure", now: NOW, httpClient: forwardingHttpClient(azure), credential, runSchedules: false });
process.stdout.write(`${JSON.stringify({ port: proc.server.port })}\n`);
process.once("SIGTERM", () => {
  void proc.stop().then(() => process.exit(0));
});
