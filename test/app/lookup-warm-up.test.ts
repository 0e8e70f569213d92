// The server reads each configured resource's lookups at start, in the background: the first
// question then sends only its own data requests, and an Azure that refuses them at start neither
// fails nor holds up the start. A real bot process against the loopback fake Azure Monitor, warmed
// up as main.ts does it; and `npm start` itself, whose log says it read them.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { startLookupWarmUp, type LookupWarmUp } from "../../src/app/lookup-warm-up.ts";
import { FakeAzureMonitor, fakeCredential, type FakeHandler } from "../fakes/azure-monitor.ts";
import { isDataRequest, isLookup } from "../queries/sent-requests.ts";
import { captureLogger } from "../support/capture-logger.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const NOW = new Date("2026-11-29T12:00:10Z");

const metric = (name: string, timeseries: unknown[]) => ({ id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "Count", errorCode: "Success", timeseries });
const deployment = (d: string) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }], data: [] });
/** Azure answering: definitions (none listed: the Azure OpenAI names), gpt-4o deployed, 5 calls a minute. */
const answering: FakeHandler = (req) => {
  if (req.path.endsWith("/metricDefinitions")) return { status: 200, body: { value: [] } };
  if (req.query.resultType === "Metadata") return { status: 200, body: { timespan: "x", value: [metric("AzureOpenAIRequests", [deployment("gpt-4o")])] } };
  const [from = "", to = ""] = (req.query.timespan ?? "").split("/");
  const minutes = req.query.interval === "FULL" ? 1 : (Date.parse(to) - Date.parse(from)) / 60_000;
  const data = Array.from({ length: minutes }, (_, i) => ({ timeStamp: new Date(Date.parse(from) + i * 60_000).toISOString(), total: req.query.interval === "FULL" ? 5 * ((Date.parse(to) - Date.parse(from)) / 60_000) : 5 }));
  return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value: (req.query.metricnames ?? "").split(",").map((n) => metric(n, [{ metadatavalues: [], data }])) } };
};

/** Waits for something the process does in the background (no clock involved). */
async function until(done: () => boolean, tries = 500): Promise<void> {
  for (let i = 0; i < tries && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error("never happened");
}

let fake: FakeAzureMonitor;
let proc: BotProcess | undefined;
let warmUp: LookupWarmUp | undefined;
const log = captureLogger({ level: "debug" });
/** A bot process, warmed up as main.ts starts it (or not, as tests and `aoai ask` run it). */
const start = async (warm: boolean) => {
  const p = await startBotProcess({ ...loadConfig({ env: { AOAI_RESOURCE_IDS: AOAI }, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: ":memory:" }, host: "127.0.0.1", source: "azure", httpClient: fake.httpClient(), credential: fakeCredential, runSchedules: false, now: NOW, logger: log.logger });
  if (warm) warmUp = startLookupWarmUp(p.source.service, log.logger);
  return p;
};

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  log.lines.length = 0;
});
afterEach(async () => {
  warmUp?.stop();
  warmUp = undefined;
  await proc?.stop();
  proc = undefined;
  await fake.close();
});

describe("lookups read at start", () => {
  it("the first question sends only its own requests: definitions and deployments were read at start", async () => {
    fake.handler = answering;
    proc = await start(true);
    await until(() => fake.requests.filter(isLookup).length === 2);
    const before = fake.requests.length;
    const reply = await proc.bot.ask("requests last hour");
    expect(reply).toMatchObject({ kind: "answer" });
    const sent = fake.requests.slice(before);
    expect(sent.filter(isLookup)).toEqual([]);
    expect(sent.filter(isDataRequest).length).toBeGreaterThan(0);
  });

  it("without the warm-up (tests, one-shot processes) the first question reads them itself", async () => {
    fake.handler = answering;
    proc = await start(false);
    expect(fake.requests).toEqual([]);
    await proc.bot.ask("requests last hour");
    expect(fake.requests.filter(isLookup)).toHaveLength(2);
  });

  it("Azure refusing them at start: the process starts, says so in a warning, and answers once Azure does", async () => {
    fake.handler = () => ({ status: 500, body: { error: { code: "InternalServerError", message: "metrics backend unavailable" } } });
    proc = await start(true);
    const health = await fetch(`http://127.0.0.1:${String(proc.server.port)}/healthz`);
    expect(health.status).toBe(200);
    // the first read settles (it never rejects), with one warning
    await warmUp?.first;
    expect(log.entries().filter((e) => e.level === "warn" && e.msg.includes("could not read the resources' lookups"))).toHaveLength(1);
    fake.handler = answering;
    const reply = await proc.bot.ask("requests last hour");
    expect(reply).toMatchObject({ kind: "answer" });
    expect(reply.kind === "answer" ? reply.answer.results[0]?.value : undefined).toBe(300);
  });

  it("npm start reads them at start: the demo's lookups are logged as read while it serves", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], { env: { ...process.env, PORT: "0", AOAI_RESOURCE_IDS: "", LOG_LEVEL: "debug" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
    try {
      await until(() => out.includes("running headless until SIGTERM") && out.includes('"msg":"resource lookups read"'), 1_500);
      expect(out).toMatch(/"component":"lookup-warm-up".*"resources":1,"deployments":4/);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
