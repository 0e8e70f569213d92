import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cliIn } from "./run-cli.ts";

const NOW = "2026-11-29T10:00:00Z";
const CONFIG = `timezone: Europe/Berlin
schedules:
  - name: daily-summary
    cron: "0 9 * * *"
    timezone: Europe/Berlin
    report: summary
    post:
      - console: true
`;

function setup(config = CONFIG) {
  const dir = mkdtempSync(join(tmpdir(), "aoai-report-"));
  const file = join(dir, "aoai.config.yaml");
  writeFileSync(file, config);
  return { file, env: { AOAI_SQLITE_FILE: join(dir, "s.sqlite") } };
}

describe("aoai report", () => {
  it("--print renders the slot's report without claiming it", async () => {
    const { file, env } = setup();
    const preview = await cliIn(env, "report", "daily-summary", "--config", file, "--now", NOW, "--print");
    expect(preview.code).toBe(0);
    expect(preview.out).toContain("Daily summary — aoai-demo — Sat 28 Nov 2026 (Europe/Berlin)");
    const run = await cliIn(env, "report", "daily-summary", "--config", file, "--now", NOW);
    expect(run.out).toContain("📊 Daily summary — aoai-demo — Sat 28 Nov 2026 (Europe/Berlin)");
    expect(run.out).toContain("daily-summary 2026-11-29T08:00:00.000Z: posted");
  });

  it("runs a slot once however often it is asked", async () => {
    const { file, env } = setup();
    expect((await cliIn(env, "report", "daily-summary", "--config", file, "--now", NOW)).out).toContain(": posted");
    const again = await cliIn(env, "report", "daily-summary", "--config", file, "--now", "2026-11-29T11:59:00Z");
    expect(again.code).toBe(0);
    expect(again.out).toContain("2026-11-29T08:00:00.000Z: skipped");
  });

  it("posts once when two processes run the same slot at the same moment", async () => {
    const { file, env } = setup();
    const run = promisify(execFile);
    const both = await Promise.all([0, 1].map(() => run(process.execPath, ["bin/aoai.js", "report", "daily-summary", "--config", file, "--now", NOW], { env: { ...process.env, ...env, AOAI_RESOURCE_IDS: "" } })));
    const out = both.map((r) => r.stdout).join("\n");
    expect(out.match(/Daily summary — aoai-demo/g)).toHaveLength(1);
    expect(out.match(/Z: posted/g)).toHaveLength(1);
    expect(out.match(/Z: skipped/g)).toHaveLength(1);
  });

  it("an absence check outside business hours says so, records it and posts nothing", async () => {
    const { file, env } = setup(`timezone: Europe/Berlin
schedules:
  - name: gpt4o-silent
    cron: "0 * * * *"
    timezone: Europe/Berlin
    report: absence
    deployment: gpt-4o
    businessHours: "Mon-Fri 09:00-18:00"
    post:
      - console: true
`);
    // Sunday 11:00 Berlin
    const preview = await cliIn(env, "report", "gpt4o-silent", "--config", file, "--now", NOW, "--print");
    expect(preview.code).toBe(0);
    expect(preview.out).toBe("gpt4o-silent 2026-11-29T10:00:00.000Z: nothing to report — outside business hours (Mon-Fri 09:00-18:00 Europe/Berlin): not checked");
    const run = await cliIn(env, "report", "gpt4o-silent", "--config", file, "--now", NOW);
    expect(run.code).toBe(0);
    expect(run.out).toBe("gpt4o-silent 2026-11-29T10:00:00.000Z: nothing-to-post — outside business hours (Mon-Fri 09:00-18:00 Europe/Berlin): not checked");
    // recorded: asked again, the ledger says what the run found
    const again = await cliIn(env, "report", "gpt4o-silent", "--config", file, "--now", NOW);
    expect(again.out).toBe("gpt4o-silent 2026-11-29T10:00:00.000Z: skipped — already run; it said: outside business hours (Mon-Fri 09:00-18:00 Europe/Berlin): not checked");
  });

  it("exits 2 for an unknown schedule and 3 for a bad one", async () => {
    const { file, env } = setup();
    const unknown = await cliIn(env, "report", "nightly", "--config", file, "--now", NOW);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No schedule named "nightly". Known: daily-summary.');
    const bad = setup(CONFIG.replace('cron: "0 9 * * *"', 'cron: "every morning"'));
    const r = await cliIn(bad.env, "report", "daily-summary", "--config", bad.file, "--now", NOW);
    expect(r.code).toBe(3);
    expect(r.err).toContain("Configuration error at schedules.0.cron");
  });
});
