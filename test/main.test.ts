import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeSlackApi } from "./fakes/slack-api.ts";
import { SIGNING_SECRET } from "./fakes/slack-request.ts";

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

  it("exits 3 naming the key and the fix when the configuration is bad: a variable, AOAI_DRAIN_MS, an access rule, a refused Slack token", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "aoai-main-")), "aoai.config.yaml");
    writeFileSync(file, "access:\n  rules:\n    - name: ops\n      slack: { channel: C0OPS }\n      allow: [ask, deploy]\n");
    const slack = await new FakeSlackApi().start();
    slack.refuse("auth.test", "token_revoked", 5);
    const slackEnv = { SLACK_BOT_TOKEN: "xoxb-revoked", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/`, AOAI_SQLITE_FILE: ":memory:" };
    // four starts at once: each fails before it serves
    const [zone, drain, access, token] = await Promise.all([failedStart([], { AOAI_TIMEZONE: "Not/AZone" }), failedStart([], { AOAI_DRAIN_MS: "20s" }), failedStart(["--config", file], {}), failedStart([], slackEnv)]).finally(() => slack.close());
    expect(zone.code).toBe(3);
    expect(zone.log).toContain("Configuration error at AOAI_TIMEZONE");
    expect(drain.code).toBe(3);
    expect(drain.log).toContain('Configuration error at AOAI_DRAIN_MS: AOAI_DRAIN_MS must be a whole number of milliseconds (e.g. AOAI_DRAIN_MS=20000), not "20s"');
    expect(access.code).toBe(3);
    expect(access.log).toContain("Configuration error at access.rules.0.allow.1");
    // the fix: which values the key takes
    expect(access.log).toMatch(/expected one of "ask"\|"logs"\|"kql"\|"schedule"/);
    // a token Slack refuses: the variable and how to get a good one, not a stack trace
    expect(token.code).toBe(3);
    expect(token.log).toContain("Configuration error at SLACK_BOT_TOKEN: Slack refused SLACK_BOT_TOKEN (token_revoked): it was revoked");
    expect(token.log).not.toContain("    at ");
  });
});

describe("npm start at a terminal", () => {
  it("drains and exits 0 on SIGTERM while the aoai> prompt waits", async () => {
    // script(1) gives the bot a terminal on stdin; exec makes node its direct child
    const child = spawn("script", ["-qfec", `exec ${process.execPath} src/main.ts`, "/dev/null"], { env: { ...process.env, PORT: "0", AOAI_RESOURCE_IDS: "", PLAYGROUND: "0" }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    const exited = once(child, "exit") as Promise<[number | null]>;
    const deadline = Date.now() + 15_000;
    while (!out.includes("aoai> ") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('"exit" to quit');
    const bot = Number(readFileSync(`/proc/${String(child.pid)}/task/${String(child.pid)}/children`, "utf8").trim().split(/\s+/)[0]);
    process.kill(bot, "SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(out).toContain("SIGTERM: stopping");
    expect(out).toContain("Stopped.");
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
