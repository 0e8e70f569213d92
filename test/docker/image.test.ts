// The container image. Its facts are read from the Dockerfile on every run (no Docker needed); where a
// Docker daemon answers, the image is also built and inspected. This machine has none: the build
// step says so in the output instead of passing silently or being skipped.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const dockerfile = readFileSync("Dockerfile", "utf8");
/** Instructions with their continuation lines joined, comments left out. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const named = (op: string) => instructions.filter((l) => l.toUpperCase().startsWith(`${op} `));

async function dockerDaemon(): Promise<boolean> {
  try {
    await run("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

describe("the Dockerfile", () => {
  it("runs Node 24 slim as the unprivileged node user, production dependencies only, with fonts for charts and a health check", () => {
    expect(named("FROM")).toEqual(["FROM node:24-slim"]);
    expect(named("RUN").some((l) => /npm ci --omit=dev\b/.test(l))).toBe(true);
    expect(named("RUN").some((l) => /apt-get install .*fonts-dejavu-core/.test(l) && /fontconfig/.test(l))).toBe(true);
    // the last USER before CMD is node: the bot never runs as root
    const users = named("USER");
    expect(users.at(-1)).toBe("USER node");
    expect(instructions.findIndex((l) => l === "USER node")).toBeLessThan(instructions.findIndex((l) => l.startsWith("CMD ")));
    const health = named("HEALTHCHECK");
    expect(health).toHaveLength(1);
    expect(health[0]).toContain("/healthz");
    // exec form: node is PID 1 and gets the SIGTERM itself, so the graceful drain runs (a shell would swallow it)
    expect(named("CMD")).toEqual(['CMD ["node", "--import", "./bin/compile-cache.js", "src/main.ts"]']);
    // the compile cache the CMD turns on is filled at build time, and the node user may add to it
    expect(named("RUN").some((l) => l.includes("node bin/warm-compile-cache.js") && l.includes("chown -R node:node /tmp/node-compile-cache"))).toBe(true);
    // a writable data/ for the SQLite store, owned by the user the process runs as
    expect(named("RUN").some((l) => l.includes("chown node:node /app/data"))).toBe(true);
  });

  it("copies only folders that exist, and the build context leaves secrets, tests and local state out", () => {
    const copied = named("COPY").flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const path of copied) expect(existsSync(path), `${path} (copied by the Dockerfile)`).toBe(true);
    const ignored = readFileSync(".dockerignore", "utf8").split("\n").map((l) => l.trim());
    for (const left of ["node_modules", ".git", "test/", "data/", ".env", "aoai.config.yaml"]) expect(ignored).toContain(left);
  });

  it("builds, where a Docker daemon answers, into an image that runs as node with the health check", async () => {
    if (!(await dockerDaemon())) {
      console.log("docker daemon not available: image not built");
      // what the build would have used is at least all there
      expect(existsSync("package-lock.json")).toBe(true);
      return;
    }
    const tag = `aoai-bot:test-${process.pid}`;
    await run("docker", ["build", "--quiet", "-t", tag, "."], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
    try {
      const { stdout } = await run("docker", ["image", "inspect", tag, "--format", "{{json .Config}}"]);
      const image = JSON.parse(stdout) as { User: string; Cmd: string[]; Healthcheck?: { Test: string[] } };
      expect(image.User).toBe("node");
      expect(image.Cmd).toEqual(["node", "src/main.ts"]);
      expect(image.Healthcheck?.Test.join(" ")).toContain("/healthz");
    } finally {
      await run("docker", ["image", "rm", "-f", tag]).catch(() => undefined);
    }
  }, 660_000);
});
