import { spawn } from "node:child_process";
import { once } from "node:events";
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
  });

  it("exits 3 naming the key when the configuration is bad", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], { env: { ...process.env, PORT: "0", AOAI_TIMEZONE: "Not/AZone" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stderr.on("data", (c: Buffer) => (log += c.toString("utf8")));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(3);
    expect(log).toContain("Configuration error at AOAI_TIMEZONE");
  });
});
