// `aoai ask` starts quickly because it loads only what its answer needs: a metrics question in the
// demo must not pull in the chat SDKs, the server, sign-in to Azure, charts or the table services.
// Checked on a real `aoai` process with Node's module hooks recording every module it loads (speed
// itself is the bench's to measure, not a test's).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const AOAI = resolve("bin/aoai.js");

/** Each module the process loads, one URL a line (module.registerHooks sees import and require alike). */
const RECORDER = `import { registerHooks } from "node:module";
import { appendFileSync } from "node:fs";
registerHooks({ load(url, context, next) { appendFileSync(process.env.LOADED_FILE, url + "\\n"); return next(url, context); } });
`;

/** Loaded only by the server, a chat platform, a table question, Azure sign-in, a chart or a config file. */
const NOT_FOR_A_METRICS_ANSWER = [
  "/node_modules/@slack/",
  "/node_modules/@microsoft/agents-hosting/",
  "/node_modules/@azure/identity/",
  "/node_modules/@azure/msal-node/",
  "/node_modules/@azure/monitor-query-logs/",
  "/node_modules/@azure/arm-cognitiveservices/",
  "/node_modules/express/",
  "/node_modules/prom-client/",
  "/node_modules/pg/",
  "/node_modules/sharp/",
  "/node_modules/vega/",
  "/node_modules/vega-lite/",
  "/node_modules/yaml/",
  "/src/app/bot-process.ts",
  "/src/app/table-parts.ts",
  "/src/queries/logs/",
  "/src/queries/quota.ts",
  "/src/queries/prerequisites.ts",
  "/src/demo/workspace/demo-logs-backend.ts",
];

async function askLoading(question: string): Promise<{ code: number | null; out: string; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "aoai-light-"));
  const recorder = join(dir, "recorder.mjs");
  const loadedFile = join(dir, "loaded.txt");
  writeFileSync(recorder, RECORDER);
  writeFileSync(loadedFile, "");
  // run where there is no aoai.config.yaml, as a first try of the command would be
  const child = spawn(process.execPath, ["--import", recorder, AOAI, "ask", "--source", "demo", question], { cwd: dir, env: { ...process.env, LOADED_FILE: loadedFile, AOAI_RESOURCE_IDS: "", AOAI_CONFIG: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, out, loaded: readFileSync(loadedFile, "utf8").split("\n").filter((l) => l !== "") };
}

describe("aoai ask starts light", () => {
  it("answers a metrics question without loading the chat SDKs, the server, Azure sign-in, charts, the yaml parser or the table services", async () => {
    const { code, out, loaded } = await askLoading("latency");
    expect(code).toBe(0);
    expect(out).toContain("Latency — last 1 h");
    // the recorder saw the answer's own modules, so an empty list cannot pass
    expect(loaded.some((url) => url.endsWith("/src/queries/azure-metrics.ts"))).toBe(true);
    expect(loaded.filter((url) => NOT_FOR_A_METRICS_ANSWER.some((part) => url.includes(part)))).toEqual([]);
  });

  it("loads the table services when a table question needs them, and answers it", async () => {
    const { code, out, loaded } = await askLoading("doctor");
    expect(code).toBe(0);
    expect(out).toContain("Prerequisites");
    expect(loaded.some((url) => url.endsWith("/src/app/table-parts.ts"))).toBe(true);
  });
});
