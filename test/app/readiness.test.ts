import { afterEach, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { TcpProxy } from "../fakes/tcp-proxy.ts";

const PG = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test");
const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const config = () => ({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 });

interface Ready {
  status: number;
  body: { status: string; checks?: Record<string, { ok: boolean; detail: string }>; reasons?: string[] };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function readyz(p: BotProcess): Promise<Ready> {
  const res = await fetch(`http://127.0.0.1:${p.server.port}/readyz`);
  return { status: res.status, body: (await res.json()) as Ready["body"] };
}

/** Probes until the answer has `status` (a recovered pool reconnects on the next query). */
async function until(p: BotProcess, status: number, withinMs = 5_000): Promise<Ready> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const r = await readyz(p);
    if (r.status === status || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function botThroughProxy(): Promise<{ p: BotProcess; proxy: TcpProxy }> {
  const proxy = await new TcpProxy({ host: PG.hostname, port: Number(PG.port || 5432) }).start();
  cleanups.push(() => proxy.close());
  const url = new URL(PG);
  url.port = String(proxy.port);
  const p = await startBotProcess(config(), { env: { DATABASE_URL: url.toString() }, host: "127.0.0.1", source: "demo", runSchedules: false, readinessTimeoutMs: 500 });
  cleanups.push(() => p.stop());
  return { p, proxy };
}

describe("/readyz with PostgreSQL", () => {
  it("is ready while the database answers, not ready through an outage, and ready again after", async () => {
    const { p, proxy } = await botThroughProxy();
    const up = await readyz(p);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: "ready", checks: { store: { ok: true }, credential: { ok: true, detail: "no credential needed (demo)" } } });

    proxy.down();
    const down = await readyz(p);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("not ready");
    expect(down.body.reasons?.some((r) => r.startsWith("store: "))).toBe(true);
    // alive all the same: the orchestrator should wait, not restart it
    expect((await fetch(`http://127.0.0.1:${p.server.port}/healthz`)).status).toBe(200);

    proxy.resume();
    expect((await until(p, 200)).status).toBe(200);
  });

  it("says not ready within its timeout when the database stalls", async () => {
    const { p, proxy } = await botThroughProxy();
    expect((await readyz(p)).status).toBe(200);
    proxy.stall();
    const started = Date.now();
    const stalled = await readyz(p);
    expect(stalled.status).toBe(503);
    expect(stalled.body.reasons).toContain("store: no answer within 500 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
    proxy.down();
    proxy.resume();
    expect((await until(p, 200)).status).toBe(200);
  });
});

describe("/readyz with Azure", () => {
  async function azureBot(credential: TokenCredential): Promise<BotProcess> {
    const azure = await new FakeAzureMonitor().start();
    cleanups.push(() => azure.close());
    const p = await startBotProcess({ ...config(), resourceIds: [AOAI] }, { env: { AOAI_SQLITE_FILE: ":memory:" }, host: "127.0.0.1", source: "azure", httpClient: azure.httpClient(), credential, runSchedules: false, readinessTimeoutMs: 500 });
    cleanups.push(() => p.stop());
    return p;
  }

  it("is ready once the credential gave a token", async () => {
    const r = await readyz(await azureBot(fakeCredential));
    expect(r.status).toBe(200);
    expect(r.body.checks?.credential).toEqual({ ok: true, detail: "Azure token obtained" });
  });

  it("is not ready, and says why, while no token can be had", async () => {
    let signedIn = false;
    const credential: TokenCredential = {
      getToken: () => (signedIn ? fakeCredential.getToken("x") : Promise.reject(Object.assign(new Error("DefaultAzureCredential failed to retrieve a token from the included credentials."), { name: "CredentialUnavailableError" }))),
    };
    const p = await azureBot(credential);
    const r = await readyz(p);
    expect(r.status).toBe(503);
    expect(r.body.reasons).toEqual(["credential: DefaultAzureCredential failed to retrieve a token from the included credentials."]);
    signedIn = true;
    expect((await readyz(p)).status).toBe(200);
  });
});
