// Exactly the README's Teams configuration: clientId, clientSecret and tenantId in the environment,
// read by the Agents SDK itself, nothing else (no issuer list, no validateIssuer, no authority). Signing
// keys come from the fake's stand-ins for login.microsoftonline.com and login.botframework.com.
import { mkdtempSync } from "node:fs";
import { teamsPlatform } from "../../../src/adapters/teams/platform.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeBotConnector, fakeOutboundConnections } from "../../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../../fakes/identity-provider.ts";
import { personalMessage } from "./activities.ts";

const APP_ID = "0b5a4c2e-2222-4a3b-9c8d-0000000aa002";
const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
let idp: FakeIdentityProvider;
let connector: FakeBotConnector;
let proc: BotProcess;
let endpoint: string;

beforeAll(async () => {
  idp = await (await new FakeIdentityProvider().start()).servePublicHosts();
  connector = await new FakeBotConnector().start();
  vi.stubEnv("clientId", APP_ID);
  vi.stubEnv("clientSecret", "not-a-real-secret");
  vi.stubEnv("tenantId", idp.tenant);
  // the SDK reads the environment when it is first imported, so it is imported after the variables are set
  const { getAuthConfigWithDefaults } = await import("@microsoft/agents-hosting");
  const { startBotProcess } = await import("../../../src/app/bot-process.ts");
  const { loadConfig } = await import("../../../src/app/config.ts");
  const outboundConnections = fakeOutboundConnections(getAuthConfigWithDefaults());
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-iss-")), "a.sqlite") }, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), teams: { outboundConnections } });
  endpoint = `http://127.0.0.1:${proc.server.port}/api/messages`;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
  await idp.close();
  vi.unstubAllEnvs();
});

async function sendWith(claims: Record<string, unknown>): Promise<{ status: number; answered: boolean }> {
  const activity = personalMessage(connector.url, "latency");
  const token = idp.token({ aud: APP_ID, serviceurl: connector.url, ...claims });
  const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
  return { status: res.status, answered: connector.calls.some((c) => c.activityId === activity.id && c.body.type === "message") };
}

describe("Teams tokens under exactly the README's variables", () => {
  it("runs authenticated (the app id came from the environment)", () => {
    expect(proc.adapter(teamsPlatform)?.authenticated).toBe(true);
  });

  it.each([
    ["an unrelated issuer", { iss: "https://evil.example/v2.0", tid: "" }],
    ["another tenant's v2 issuer", { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT }],
    ["another tenant's v1 issuer", { iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT }],
    ["a null issuer", { iss: null }],
    ["a numeric issuer", { iss: 5 }],
    ["a look-alike of the Bot Framework issuer", { iss: "https://api.botframework.com.evil.example" }],
  ])("refuses %s with 401 and answers nothing", async (_name, claims) => {
    expect(await sendWith(claims)).toEqual({ status: 401, answered: false });
  });

  it.each([
    ["Bot Framework", { iss: "https://api.botframework.com" }],
    ["the configured tenant (v1)", { iss: "https://sts.windows.net/{tenant}/", tid: "{tenant}" }],
    ["the configured tenant (v2)", { iss: "https://login.microsoftonline.com/{tenant}/v2.0", tid: "{tenant}" }],
  ])("answers a token from %s", async (_name, claims) => {
    const filled = Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, v.replace("{tenant}", idp.tenant)]));
    expect(await sendWith(filled)).toEqual({ status: 200, answered: true });
  });
});
