import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { TokenCredential } from "@azure/core-auth";
import { ClientSecretCredential } from "@azure/identity";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import type { Platform } from "../../src/app/platform.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { FakeIdentityProvider } from "../fakes/identity-provider.ts";
import { FakeSlackApi } from "../fakes/slack-api.ts";
import { SIGNING_SECRET } from "../fakes/slack-request.ts";
import { forwardingHttpClient } from "../fakes/loopback.ts";
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
    expect(up.body).toMatchObject({ status: "ready", checks: { accepting: { ok: true }, store: { ok: true, detail: "PostgreSQL answering" }, credential: { ok: true, detail: "no credential needed (demo)" }, adapters: { ok: true } } });

    proxy.down();
    const down = await readyz(p);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("not ready");
    // the reason names the database, so the operator knows which dependency to look at
    expect(down.body.reasons).toHaveLength(1);
    expect(down.body.reasons?.[0]).toMatch(/^store: PostgreSQL: /);
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
    expect(stalled.body.reasons).toContain("store: PostgreSQL: no answer within 500 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
    proxy.down();
    proxy.resume();
    expect((await until(p, 200)).status).toBe(200);
  });
});

describe("/readyz with Azure", () => {
  async function azureBot(credential: TokenCredential, readinessTimeoutMs = 500): Promise<BotProcess> {
    const azure = await new FakeAzureMonitor().start();
    cleanups.push(() => azure.close());
    const p = await startBotProcess({ ...config(), resourceIds: [AOAI] }, { env: { AOAI_SQLITE_FILE: ":memory:" }, host: "127.0.0.1", source: "azure", httpClient: azure.httpClient(), credential, runSchedules: false, readinessTimeoutMs });
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

  it("is not ready while Entra refuses the service principal's secret (401) or the request (400), and ready once it issues a token", async () => {
    // the real client-secret credential (what AZURE_CLIENT_SECRET gives DefaultAzureCredential), its
    // token requests sent to a loopback Entra
    const entra = await new FakeIdentityProvider().start();
    cleanups.push(() => entra.close());
    const credential = new ClientSecretCredential(entra.tenant, "00000000-0000-0000-0000-0000000000aa", "wrong-secret", { httpClient: forwardingHttpClient(new URL(entra.authority).origin), disableInstanceDiscovery: true, retryOptions: { maxRetries: 0 } });
    entra.tokenAnswer = 401;
    const p = await azureBot(credential, 3_000);

    const refused = await readyz(p);
    expect(refused.status).toBe(503);
    expect(refused.body.status).toBe("not ready");
    expect(refused.body.reasons).toHaveLength(1);
    expect(refused.body.reasons?.[0]).toMatch(/^credential: .*AADSTS7000215/);
    expect(refused.body.checks?.store).toMatchObject({ ok: true });

    entra.tokenAnswer = 400;
    const bad = await readyz(p);
    expect(bad.status).toBe(503);
    expect(bad.body.reasons?.[0]).toMatch(/^credential: .*AADSTS900023/);

    entra.tokenAnswer = "token";
    const ok = await readyz(p);
    expect(ok.status).toBe(200);
    expect(ok.body.checks?.credential).toEqual({ ok: true, detail: "Azure token obtained" });
    expect(entra.tokenRequests).toBeGreaterThanOrEqual(3);
  });
});

describe("/readyz while chat platforms start", () => {
  it("is not ready, naming the platform, until every configured platform has started", async () => {
    let started: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (started = resolve));
    const slowPlatform: Platform<undefined, { readonly platform: "slowchat"; readonly room: string }> = {
      name: "slowchat",
      target: z.strictObject({ slowchat: z.string() }).transform((e) => ({ platform: "slowchat" as const, room: e.slowchat })),
      targetFor: () => undefined,
      // like Slack checking its token, or Teams building its adapter: the HTTP server is already up
      configure: () => Promise.resolve({ start: () => gate.then(() => ({ handle: undefined, paths: [], banner: [], stop: () => Promise.resolve() })) }),
    };
    const port = await freePort();
    const starting = startBotProcess({ ...config(), port }, { env: { AOAI_SQLITE_FILE: ":memory:" }, host: "127.0.0.1", source: "demo", runSchedules: false, readinessTimeoutMs: 500, platforms: [slowPlatform] });
    const probe = async (): Promise<Ready> => {
      for (;;) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          return { status: res.status, body: (await res.json()) as Ready["body"] };
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const before = await probe();
    expect(before.status).toBe(503);
    expect(before.body.reasons).toEqual(["adapters: slowchat not started yet"]);
    started();
    const p = await starting;
    cleanups.push(() => p.stop());
    const after = await readyz(p);
    expect(after.status).toBe(200);
    expect(after.body.checks?.adapters).toEqual({ ok: true, detail: "slowchat started" });
  });
});

describe("/readyz with Slack", () => {
  // (a token Slack refuses is a configuration error at start: test/main.test.ts)
  it("is not ready while Slack cannot check the bot token, naming the error, and ready once auth.test answers", async () => {
    const slack = await new FakeSlackApi().start();
    cleanups.push(() => slack.close());
    slack.fail("auth.test", 50, 503, 0);
    const env = { AOAI_SQLITE_FILE: ":memory:", SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: `${slack.url}/api/` };
    const p = await startBotProcess(config(), { env, host: "127.0.0.1", source: "demo", runSchedules: false, readinessTimeoutMs: 2_000 });
    cleanups.push(() => p.stop());
    const refused = await readyz(p);
    expect(refused.status).toBe(503);
    expect(refused.body.reasons).toHaveLength(1);
    expect(refused.body.reasons?.[0]).toMatch(/^adapters: slack: .*503/);

    // Slack answers again
    slack.fail("auth.test", 0);
    const ok = await readyz(p);
    expect(ok.status).toBe(200);
    expect(ok.body.checks?.adapters?.detail).toContain("slack: token accepted by auth.test (workspace T0001)");
  });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
