// Thousands of signed bodies of each payload kind, random and mutated from real ones, against the real
// Bolt app on the shared HTTP server: none may get a 5xx, crash a handler unseen, or stall the server.
// FUZZ_SEED=<n> replays a failing run.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { sendSigned, type SignedRequest } from "../../fakes/slack-request.ts";
import { startSlackBot } from "./slack-bot.ts";
import { captureLogger } from "../../support/capture-logger.ts";

// a new seed each local run explores; CI replays a fixed one so a red run always means a change broke it
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261201 : Date.now() % 2_147_483_647));
const PER_KIND = 1_000;
const CONCURRENCY = 16;

let slack: FakeSlackApi;
let proc: BotProcess;
let events: string;
let base: string;
const unhandled: unknown[] = [];
// refusals are logged (warn) by the thousand here; a handler that threw (error) is a bug
const log = captureLogger({ level: "warn" });
const record = (err: unknown) => {
  unhandled.push(err);
};

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  // the flood's answers wait in their channel's lane at Slack's one per second: the stop gives them 2 s, not 20
  ({ proc, events, base } = await startSlackBot(slack, { AOAI_DRAIN_MS: "2000" }, log.logger));
  process.on("unhandledRejection", record);
  process.on("uncaughtException", record);
});
afterAll(async () => {
  process.off("unhandledRejection", record);
  process.off("uncaughtException", record);
  await proc.stop();
  await slack.close();
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Strings a hostile or buggy sender could put anywhere: NUL, lone surrogates, huge, numeric-looking. */
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", "\u0000", "null", "undefined", "__proto__", "constructor", "1e400", "Infinity", "<@U0001>", "aoai_share", "/aoai", "schedule list", "<@".repeat(50)),
  fc.string({ unit: "binary-ascii", minLength: 1_000, maxLength: 4_000 }),
);
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  { depthSize: "small" },
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  nasty,
  fc.constantFrom<Json>(null, 0, -1, 1e308, true, [], {}),
);

const paths = (v: Json, prefix: string[] = []): string[][] => {
  if (v === null || typeof v !== "object") return [prefix];
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
};

type Mutation = { at: number; op: "delete" } | { at: number; op: "set"; value: Json } | { at: number; op: "add"; key: string; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ at: fc.nat(), op: fc.constant("delete" as const) }),
  fc.record({ at: fc.nat(), op: fc.constant("set" as const), value: anyJson }),
  fc.record({ at: fc.nat(), op: fc.constant("add" as const), key: fc.oneof(nasty, fc.constantFrom("event", "command", "actions", "type", "payload", "ssl_check", "name", "item", "subteam", "user", "channel", "team", "authorizations", "function_data")), value: anyJson }),
);

/** The same value with a few fields removed, replaced or added, anywhere in it. */
function mutate(original: Json, mutations: readonly Mutation[]): Json {
  let doc = structuredClone(original);
  for (const m of mutations) {
    const all = paths(doc);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      if (m.op === "set") doc = structuredClone(m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((node, k) => (node as Record<string, Json>)[k]!, doc) as Record<string, Json>;
    const key = path[path.length - 1]!;
    if (m.op === "delete") Reflect.deleteProperty(parent, key);
    // fresh copies, set as own properties: a value shared between two places (or a "__proto__" key)
    // must not turn the document into a cycle that walking it overflows on
    else if (m.op === "set") Object.defineProperty(parent, key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
    else {
      const target = parent[key];
      if (target !== null && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: structuredClone(m.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return doc;
}

const mutations = fc.array(mutation, { minLength: 0, maxLength: 4 });
const asForm = (fields: Json): string => {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return typeof fields === "string" ? fields : JSON.stringify(fields);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) for (const x of v) form.append(k, typeof x === "string" ? x : JSON.stringify(x));
    else form.append(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return form.toString();
};
const FORM = "application/x-www-form-urlencoded";
const contentType = (usual: string) => fc.oneof({ weight: 9, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(FORM, "application/json", "application/json; charset=utf-8", "text/plain", "") });

function kinds(hooks: string): Record<string, fc.Arbitrary<SignedRequest>> {
  const command: Json = { token: "x", team_id: "T0001", team_domain: "example", channel_id: "C0FUZZ", channel_name: "ops", user_id: "U0001", user_name: "ada", command: "/aoai", text: "latency", api_app_id: "A0001", response_url: hooks, trigger_id: "1.2.abc" };
  const mention: Json = { type: "app_mention", user: "U0001", text: "<@UBOT> help", ts: "1764400100.000100", channel: "C0FUZZ", event_ts: "1764400100.000100" };
  const dm: Json = { type: "message", channel_type: "im", user: "U0001", text: "help", ts: "1764400300.000100", channel: "D0FUZZ" };
  const envelope = (event: Json): Json => ({ token: "x", team_id: "T0001", api_app_id: "A0001", type: "event_callback", event_id: "EvFuzz", event_time: 1764400000, authorizations: [{ team_id: "T0001", user_id: "UBOT", is_bot: true, is_enterprise_install: false }], event });
  const button: Json = { type: "block_actions", team: { id: "T0001" }, user: { id: "U0001" }, channel: { id: "C0FUZZ" }, container: { type: "message", message_ts: "1", channel_id: "C0FUZZ", is_ephemeral: true }, message: { ts: "1764400500.000100" }, response_url: hooks, trigger_id: "1.2.3", actions: [{ type: "button", action_id: "aoai_ask_0", block_id: "aoai_examples", value: JSON.stringify({ kind: "ask", text: "help" }), action_ts: "1" }] };
  // a fresh event_id per body, so dedupe does not hide what a body does
  const unique = (doc: Json, i: number): Json => (doc !== null && typeof doc === "object" && !Array.isArray(doc) && doc.event_id === "EvFuzz" ? { ...doc, event_id: `EvFuzz${i}` } : doc);
  return {
    "form-encoded commands": fc.tuple(fc.oneof({ weight: 8, arbitrary: mutations.map((m) => asForm(mutate(command, m))) }, { weight: 1, arbitrary: nasty }, { weight: 1, arbitrary: fc.dictionary(nasty, nasty).map((d) => asForm(d)) }), contentType(FORM)).map(([body, ct]) => ({ body, contentType: ct })),
    "JSON events": fc.tuple(fc.oneof({ weight: 8, arbitrary: fc.tuple(fc.constantFrom(envelope(mention), envelope(dm), envelope({ type: "reaction_added", item: { channel: "C0FUZZ", ts: "1" } })), mutations, fc.nat()).map(([doc, m, i]) => JSON.stringify(unique(mutate(doc, m), i))) }, { weight: 1, arbitrary: anyJson.map((j) => JSON.stringify(j)) }, { weight: 1, arbitrary: nasty }), contentType("application/json")).map(([body, ct]) => ({ body, contentType: ct })),
    "payload= interactions": fc.tuple(fc.oneof({ weight: 8, arbitrary: mutations.map((m) => JSON.stringify(mutate(button, m))) }, { weight: 1, arbitrary: anyJson.map((j) => JSON.stringify(j)) }, { weight: 1, arbitrary: nasty }), contentType(FORM)).map(([payload, ct]) => ({ body: new URLSearchParams({ payload }).toString(), contentType: ct })),
  };
}

async function sendAll(requests: readonly SignedRequest[]): Promise<{ req: SignedRequest; status: number }[]> {
  const out: { req: SignedRequest; status: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const res = await sendSigned(events, req);
        out.push({ req, status: res.status });
      }
    }),
  );
  return out;
}

describe(`signed Slack bodies, random and mutated (FUZZ_SEED=${SEED})`, () => {
  it("never get a 5xx, and leave the server answering", async () => {
    const all = kinds(`${slack.url}/hooks/fuzz`);
    const seen = new Map<number, number>();
    for (const [i, [kind, arb]] of Object.entries(all).entries()) {
      const requests = fc.sample(arb, { numRuns: PER_KIND, seed: SEED + i });
      const results = await sendAll(requests);
      for (const r of results) seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
      const failed = results.filter((r) => r.status >= 500);
      expect(failed.map((f) => `${kind}: ${f.status} ${f.req.contentType} ${f.req.body.slice(0, 300)}`)).toEqual([]);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
    // the mutations must reach both sides of the edge, or the test proves nothing
    expect(seen.get(400) ?? 0).toBeGreaterThan(PER_KIND / 2);
    expect(seen.get(200) ?? 0).toBeGreaterThan(PER_KIND / 2);
    expect([...seen.keys()].every((s) => s === 200 || s === 400 || s === 413)).toBe(true);
    expect(unhandled).toEqual([]);
    expect(log.entries().filter((e) => e.msg === "slack handler failed")).toEqual([]);
    expect(log.entries().some((e) => e.msg === "slack request refused")).toBe(true);
  }, 60_000);
});
