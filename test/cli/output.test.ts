// `aoai … | head`: a reader that closes the pipe early, run as real child processes.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keys } from "../../src/store/keys.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";

const CONFIG = `timezone: Europe/Berlin
schedules:
  - name: daily-summary
    cron: "0 9 * * *"
    timezone: Europe/Berlin
    report: summary
    post:
      - console: true
`;
const NOW = "2026-11-29T10:00:00Z";
const SLOT = new Date("2026-11-29T08:00:00Z");

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "aoai-pipe-"));
  const file = join(dir, "aoai.config.yaml");
  writeFileSync(file, CONFIG);
  const sqlite = join(dir, "s.sqlite");
  return { file, sqlite, env: { ...process.env, AOAI_SQLITE_FILE: sqlite, AOAI_RESOURCE_IDS: "" } };
}

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/aoai.js; `closeStdout` closes the reading end at once, before the command writes anything. */
async function aoai(env: NodeJS.ProcessEnv, argv: readonly string[], closeStdout: boolean): Promise<Ended> {
  const child = spawn(process.execPath, ["bin/aoai.js", ...argv], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  if (closeStdout) child.stdout.destroy();
  else child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

describe("aoai with a reader that stops reading", () => {
  it("`aoai ask … | head -c 10` gives head its 10 bytes and exits 0 without a stack trace", async () => {
    const { env } = setup();
    // a large answer, so the pipe is still being written when head has gone
    const child = spawn(process.execPath, ["bin/aoai.js", "ask", "--json", "--now", NOW, "requests by deployment 7d"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const head = spawn("head", ["-c", "10"], { stdio: [child.stdout, "pipe", "ignore"] });
    // only head holds the reading end now: when it exits, the pipe is closed
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    let read = "";
    head.stdout.on("data", (c: Buffer) => (read += c.toString("utf8")));
    const [[code]] = (await Promise.all([once(child, "close"), once(head, "close")])) as [[number | null], unknown];
    expect(read).toBe('{\n  "topic');
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });

  it("an answer whose stdout is already closed exits 0 quietly", async () => {
    const { env } = setup();
    const r = await aoai(env, ["ask", "--now", NOW, "latency gpt-4o 24h"], true);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("a report whose output pipe broke is not recorded as posted, exits 2, and its slot stays open for a retry", async () => {
    const { env, file, sqlite } = setup();
    const r = await aoai(env, ["report", "daily-summary", "--config", file, "--now", NOW], true);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("daily-summary 2026-11-29T08:00:00.000Z: failed — console: failed (the console output is closed: write EPIPE)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const store = new SqliteStore(sqlite);
    try {
      expect(await store.getRun(keys.run("daily-summary", SLOT))).toMatchObject({ status: "failed", attempt: 1 });
      const intent = JSON.parse((await store.get(keys.delivery(keys.run("daily-summary", SLOT), 0, "console"))) ?? "{}") as { state?: string };
      expect(intent.state).toBe("absent");
    } finally {
      await store.close();
    }
    // run again at once: it says why it does not run yet, instead of "another replica has it"
    const again = await aoai(env, ["report", "daily-summary", "--config", file, "--now", NOW], false);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/: skipped — failed, tried again from \d{4}-\d\d-\d\dT[\d:.]+Z; it said: console: failed \(the console output is closed: write EPIPE\)/);
  });

  it("refuses, claiming nothing, a schedule that posts where this process cannot", async () => {
    const { env, file, sqlite } = setup();
    writeFileSync(file, CONFIG.replace("      - console: true", "      - slack: C0123456789"));
    const r = await aoai(env, ["report", "daily-summary", "--config", file, "--now", NOW], false);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Schedule "daily-summary" posts to slack:C0123456789, which is not configured for this process: nothing was claimed or posted.');
    const store = new SqliteStore(sqlite);
    try {
      expect(await store.getRun(keys.run("daily-summary", SLOT))).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
