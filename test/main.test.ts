import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm start without a terminal", () => {
  it("runs the demo headless, serves health checks, and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], { env: { ...process.env, PORT: "0", AOAI_RESOURCE_IDS: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stderr.on("data", (c: Buffer) => (log += c.toString("utf8")));
    // the last line of the start-up banner, not the port line: the lines after it come a little later
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`never went headless: ${log}`)); }, 15_000);
      child.stderr.on("data", () => {
        if (log.includes("running headless until SIGTERM")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const port = Number(/HTTP server on port (\d+)/.exec(log)?.[1]);
    expect(log).toContain("DEMO mode");
    expect(log).toContain("AOAI_RESOURCE_IDS");
    expect(log).toContain("running headless until SIGTERM");

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({ status: "ready", source: "demo" });

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(log).toContain("SIGTERM: stopping; finishing in-flight answers and reports first");
    expect(log).toContain("Stopped.");
  });

  it("exits 3 naming the key when the configuration is bad", async () => {
    const { code, log } = await failedStart([], { AOAI_TIMEZONE: "Not/AZone" });
    expect(code).toBe(3);
    expect(log).toContain("Configuration error at AOAI_TIMEZONE");
  });

  it("exits 3 naming the variable and a value that works when AOAI_DRAIN_MS is not a number", async () => {
    const { code, log } = await failedStart([], { AOAI_DRAIN_MS: "20s" });
    expect(code).toBe(3);
    expect(log).toContain('Configuration error at AOAI_DRAIN_MS: AOAI_DRAIN_MS must be a whole number of milliseconds (e.g. AOAI_DRAIN_MS=20000), not "20s"');
  });

  it("exits 3 naming the access rule's key and the commands it may allow when aoai.config.yaml has a bad one", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aoai-main-")), "aoai.config.yaml");
    writeFileSync(file, "access:\n  rules:\n    - name: ops\n      slack: { channel: C0OPS }\n      allow: [ask, deploy]\n");
    const { code, log } = await failedStart(["--config", file], {});
    expect(code).toBe(3);
    expect(log).toContain("Configuration error at access.rules.0.allow.1");
    // the fix: which values the key takes
    expect(log).toMatch(/expected one of "ask"\|"logs"\|"kql"\|"schedule"/);
  });
});

/** Starts `npm start` expecting it to fail before it serves: its exit code and what it said. */
async function failedStart(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; log: string }> {
  const child = spawn(process.execPath, ["src/main.ts", ...args], { env: { ...process.env, PORT: "0", AOAI_RESOURCE_IDS: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (c: Buffer) => (log += c.toString("utf8")));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, log };
}
