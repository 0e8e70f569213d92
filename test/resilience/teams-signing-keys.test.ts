// The identity provider's signing-keys endpoint down (an error page, a dropped connection) while Teams
// sends activities with otherwise valid tokens: the caller is told 401 (the token could not be checked),
// never 500, the process keeps serving, and once the keys are back the same kind of request is answered.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeBotConnector, fakeOutboundConnections } from "../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../fakes/identity-provider.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { teamsPlatform } from "../../src/adapters/teams/platform.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const APP_ID = "0b5a4c2e-4444-4a3b-9c8d-0000000aa004";
let idp: FakeIdentityProvider;
let connector: FakeBotConnector;
let proc: BotProcess;
let base: string;
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  idp = await new FakeIdentityProvider().start();
  // down before the first request: no key was ever cached
  idp.keysAnswer = 503;
  connector = await new FakeBotConnector().start();
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-jwks-")), "a.sqlite") }, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) } });
  base = `http://127.0.0.1:${proc.server.port}`;
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
  await idp.close();
});

async function send(conversation: string): Promise<number> {
  const activity = personalMessage(connector.url, "latency", { conversation: { id: conversation, conversationType: "personal" } });
  const token = idp.token({ aud: APP_ID, serviceurl: connector.url, tid: idp.tenant });
  const res = await fetch(`${base}/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
  await res.arrayBuffer();
  return res.status;
}

describe("Teams signing keys unavailable", () => {
  it.each([[503], [500], ["reset"]] as const)("keys endpoint answering %s: 401 to the caller, nothing sent, the server up", async (answer) => {
    idp.keysAnswer = answer;
    const conversation = `a:jwks-${String(answer)}`;
    expect(await send(conversation)).toBe(401);
    expect(connector.messages(conversation)).toHaveLength(0);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(unhandled).toEqual([]);
  });

  it("answers again once the keys are back", async () => {
    idp.keysAnswer = "keys";
    expect(await send("a:jwks-back")).toBe(200);
    await proc.adapter(teamsPlatform)?.idle();
    expect(connector.messages("a:jwks-back")).toHaveLength(1);
  });
});
