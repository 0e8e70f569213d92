// Adaptive Card button presses with fuzzed data, with valid tokens, through the real Teams adapter
// (the activity envelope itself is fuzzed in test/adapters/teams/activity-fuzz.test.ts): an Action.Execute
// invoke always gets an invoke response Teams can show (the new card, or a refusal it shows on the
// card), never a 5xx and never the internal-failure one; an Action.Submit never gets a 5xx; afterwards
// the bot still answers. FUZZ_SEED=<n> replays a run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getAuthConfigWithDefaults } from "@microsoft/agents-hosting";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { teamsPlatform } from "../../src/adapters/teams/platform.ts";
import { startBotProcess, type BotProcess } from "../../src/app/bot-process.ts";
import { loadConfig } from "../../src/app/config.ts";
import { FakeBotConnector, fakeOutboundConnections } from "../fakes/bot-connector.ts";
import { FakeIdentityProvider } from "../fakes/identity-provider.ts";
import { personalMessage } from "../adapters/teams/activities.ts";
import { unhandledDuringFile } from "../support/unhandled.ts";

const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261205 : Date.now() % 2_147_483_647));
const APP_ID = "0b5a4c2e-5555-4a3b-9c8d-0000000aa005";
let connector: FakeBotConnector;
let idp: FakeIdentityProvider;
let proc: BotProcess;
let n = 0;
const unhandled = unhandledDuringFile();

beforeAll(async () => {
  connector = await new FakeBotConnector().start();
  idp = await new FakeIdentityProvider().start();
  const authConfig = getAuthConfigWithDefaults({ clientId: APP_ID, tenantId: idp.tenant, authorityEndpoint: idp.authority });
  proc = await startBotProcess({ ...loadConfig({ env: {}, cwd: "/nonexistent" }), port: 0 }, { env: { AOAI_SQLITE_FILE: join(mkdtempSync(join(tmpdir(), "aoai-card-fuzz-")), "c.sqlite") }, host: "127.0.0.1", source: "demo", now: new Date("2026-11-29T10:00:00Z"), runSchedules: false, teams: { authConfig, outboundConnections: fakeOutboundConnections(authConfig) } });
});
afterAll(async () => {
  await proc.stop();
  await connector.close();
  await idp.close();
});

const text = fc.oneof(fc.constantFrom("latency", "429s gpt-4o 24h", "errors by deployment", "help", "", "schedule list", "x".repeat(2_500)), fc.string({ maxLength: 60 }));
/** A follow-up as a stale, edited or forged card could carry it. */
const followUp = fc.oneof(
  fc.record({ kind: fc.constantFrom("window", "split", "refresh", "ask", "share", "nope"), text, minutes: fc.oneof(fc.integer(), fc.constantFrom(0, -1, 1440, 1e15)), question: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ["kind"] }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
);
const verb = fc.oneof({ weight: 4, arbitrary: fc.constant("aoai.followUp") }, { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(null, 5, "")) });

async function send(activity: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const token = idp.token({ aud: APP_ID, tid: idp.tenant, serviceurl: connector.url });
  const res = await fetch(`http://127.0.0.1:${proc.server.port}/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
  return { status: res.status, body: await res.text() };
}
const conversation = () => ({ id: `a:card-fuzz-${n++}`, conversationType: "personal" });

describe(`Adaptive Card actions, fuzzed (FUZZ_SEED=${SEED})`, () => {
  it("answers every Action.Execute with an invoke response Teams can show", async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(verb, followUp, fc.constantFrom("Action.Execute", "Action.Submit", "nonsense"), async (v, f, type) => {
        const activity = personalMessage(connector.url, "", { type: "invoke", name: "adaptiveCard/action", text: undefined, replyToId: "bot-activity-1", conversation: conversation(), value: { action: { type, verb: v, data: { followUp: f } }, trigger: "manual" } });
        const res = await send(activity);
        expect(res.status).toBe(200);
        const body = JSON.parse(res.body) as { statusCode?: number; type?: string };
        seen.add(body.statusCode ?? 0);
        expect([200, 400]).toContain(body.statusCode);
      }),
      { numRuns: 60, seed: SEED },
    );
    // both a card and a refusal were reached
    expect(seen).toEqual(new Set([200, 400]));
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("never answers an Action.Submit with a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(followUp, fc.boolean(), async (f, threaded) => {
        const activity = personalMessage(connector.url, "", { text: undefined, conversation: conversation(), ...(threaded ? { replyToId: "bot-activity-9" } : {}), value: { verb: "aoai.followUp", followUp: f } });
        expect((await send(activity)).status).toBeLessThan(500);
      }),
      { numRuns: 60, seed: SEED + 1 },
    );
    expect(unhandled).toEqual([]);
  }, 60_000);

  it("tells the presser when an Action.Submit's data can't be read, rather than nothing", async () => {
    const id = "a:stale-submit";
    const activity = personalMessage(connector.url, "", { text: undefined, conversation: { id, conversationType: "personal" }, value: { verb: "aoai.followUp", followUp: "{not json" } });
    expect((await send(activity)).status).toBe(200);
    await proc.adapter(teamsPlatform)?.idle();
    expect(JSON.stringify(connector.messages(id))).toContain("That button no longer works");
  });

  it("still answers a real question afterwards", async () => {
    await proc.adapter(teamsPlatform)?.idle();
    const id = "a:after-card-fuzz";
    expect((await send(personalMessage(connector.url, "latency", { conversation: { id, conversationType: "personal" } }))).status).toBe(200);
    expect(connector.messages(id)).toHaveLength(1);
  });
});
