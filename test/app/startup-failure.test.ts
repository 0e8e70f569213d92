import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await once(s, "listening");
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => { r(); }));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => { resolve(false); });
  });
}

async function start(databaseUrl: string): Promise<{ code: number | null; log: string; port: number; listenedDuringStart: boolean }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["src/main.ts"], { env: { ...process.env, PORT: String(port), AOAI_RESOURCE_IDS: "", DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (c: Buffer) => (log += c.toString("utf8")));
  let listenedDuringStart = false;
  const probe = setInterval(() => {
    void accepts(port).then((yes) => {
      if (yes) listenedDuringStart = true;
    });
  }, 20);
  const [code] = (await once(child, "exit")) as [number | null];
  clearInterval(probe);
  return { code, log, port, listenedDuringStart };
}

describe("npm start with a database it cannot use", () => {
  it("exits 4 with the reason and leaves no port open when PostgreSQL is unreachable", async () => {
    const r = await start("postgres://postgres@127.0.0.1:1/test");
    expect(r.code).toBe(4);
    expect(r.log).toContain("aoai-bot failed to start: the store cannot be reached");
    expect(r.log).not.toContain("running headless");
    expect(r.listenedDuringStart).toBe(false);
    expect(await accepts(r.port)).toBe(false);
  });

  it.each([
    ["not a URL", "not a url at all", "is not a URL"],
    ["another scheme", "mysql://root@127.0.0.1/test", "must start with postgres://"],
    ["a broken escape", "postgres://postgres:pa%zz@127.0.0.1:5432/test", "malformed %-escape"],
  ])("exits 3 naming DATABASE_URL for %s, without the password", async (_name, url, message) => {
    const r = await start(url);
    expect(r.code).toBe(3);
    expect(r.log).toContain(`Configuration error at DATABASE_URL: `);
    expect(r.log).toContain(message);
    expect(r.log).not.toContain("pa%zz");
    expect(await accepts(r.port)).toBe(false);
  });
});
