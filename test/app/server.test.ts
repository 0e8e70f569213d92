import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startBotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { PortUnavailableError, startServer } from "../../src/app/server.ts";
import { captureLogger } from "../support/capture-logger.ts";

let taken: Server;
let port: number;

beforeEach(async () => {
  taken = createServer().listen(0, "127.0.0.1");
  await once(taken, "listening");
  port = (taken.address() as AddressInfo).port;
});
afterEach(async () => {
  await new Promise<void>((r) => taken.close(() => { r(); }));
});

describe("a port that is already taken", () => {
  it("is a PortUnavailableError that names the variable to set", async () => {
    const err = await startServer(port, "127.0.0.1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortUnavailableError);
    expect(err).toMatchObject({ code: "port_in_use", port, message: `Port ${port} is already in use; set PORT to another port (e.g. PORT=${port + 1} npm start)` });
    expect((err as Error).cause).toMatchObject({ code: "EADDRINUSE" });
  });

  it("ends the bot's start with the store it had opened closed again", async () => {
    const sqlite = join(mkdtempSync(join(tmpdir(), "aoai-port-")), "s.sqlite");
    const err = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port }, { env: { AOAI_SQLITE_FILE: sqlite }, host: "127.0.0.1", source: "demo", runSchedules: false, logger: captureLogger().logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortUnavailableError);
    // the store was opened (and pinged) before the port; SQLite removes its WAL file when the last connection closes
    expect(existsSync(sqlite)).toBe(true);
    expect(existsSync(`${sqlite}-wal`)).toBe(false);
  });

  it("`npm start` says which variable to set and exits 3", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aoai-port-"));
    const child = spawn(process.execPath, ["src/main.ts"], { env: { ...process.env, PORT: String(port), AOAI_RESOURCE_IDS: "", DATABASE_URL: "", AOAI_SQLITE_FILE: join(dir, "s.sqlite") }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stderr.on("data", (c: Buffer) => (log += c.toString("utf8")));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(3);
    expect(log).toContain(`Port ${port} is already in use; set PORT to another port (e.g. PORT=${port + 1} npm start)`);
    // said plainly: no stack trace, and it never got as far as serving
    expect(log).not.toMatch(/\n\s+at /);
    expect(log).not.toContain("running headless");
  });
});
