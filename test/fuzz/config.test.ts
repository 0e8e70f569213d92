// Configuration as an operator could get it wrong: a documented file with fields removed, replaced or
// added anywhere, arbitrary YAML text (anchors, tags, alias bombs), and odd environment values. loadConfig
// either returns a Config or throws a ConfigError naming the key to fix; never another exception, which
// would reach the operator as a bare stack at start. FUZZ_SEED=<n> replays a run.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../src/app/config-error.ts";
import { loadConfig, type Config } from "../../src/app/config.ts";

const SEED = Number(process.env.FUZZ_SEED ?? (process.env.CI ? 20261203 : Date.now() % 2_147_483_647));
const dir = mkdtempSync(join(tmpdir(), "aoai-config-fuzz-"));
const ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod";
let n = 0;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every documented section, valid as written (the first property checks it loads). */
const DOCUMENTED: Json = {
  resources: [ID, { id: ID.replace("prod", "dev"), workspaceId: "11111111-2222-3333-4444-555555555555" }],
  timezone: "Europe/Berlin",
  armEndpoint: "https://management.azure.com",
  logsEndpoint: "https://api.loganalytics.io/v1",
  queryTimeoutMs: 20_000,
  port: 3978,
  teams: { channels: { ops: "19:ops@thread.tacv2" } },
  schedules: [
    { name: "daily", cron: "0 9 * * *", timezone: "UTC", report: "summary", deployments: ["gpt-4o"], post: [{ slack: "C0123456789" }, { teams: "ops" }, { console: true }] },
    { name: "throttled", cron: "*/5 * * * *", report: "condition", condition: "429s > 100 over 1h for gpt-4o", post: [{ console: true }] },
  ],
  verdict: { throttleRate: 1, errorRate: 1, successRate: 99, latencyChange: 50, minCalls: 20 },
  prices: { currency: "USD", models: { "gpt-4o": { inputPer1M: 2.5, outputPer1M: 10 } } },
  kql: { allowedUsers: ["U0001"], maxRows: 50 },
  slack: { charts: "png" },
  access: { contact: "#ops", rules: [{ name: "ops", slack: { channel: "C0123456789" }, allow: ["ask", "logs"] }] },
  audit: { retentionDays: 30 },
};

const nasty = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom<Json>("", "\u0000", "__proto__", "constructor", "toString", "Moon/Base", "http://x", "https://", "0 9 * * *", "not a cron", "*", "19:", "a:1", ID, ID.toUpperCase(), "USD", "1e400", "-0", "~", "null"),
);
const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  nasty,
  fc.constantFrom<Json>(null, 0, -1, 1.5, 1e308, 65536, 119_999, true, false, [], {}, [null], [{}]),
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
  fc.record({ at: fc.nat(), op: fc.constant("add" as const), key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("name", "id", "cron", "report", "condition", "post", "channels", "rules", "allow", "models", "charts", "__proto__")), value: anyJson }),
);

function mutate(original: Json, mutations: readonly Mutation[]): Json {
  let doc = structuredClone(original);
  for (const m of mutations) {
    const all = paths(doc);
    const path = all[m.at % all.length] ?? [];
    if (path.length === 0) {
      if (m.op === "set") doc = structuredClone(m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((node, k) => (node as Record<string, Json>)[k] ?? null, doc) as Record<string, Json>;
    const key = path[path.length - 1] ?? "";
    const own = (target: object, k: string, value: Json) => Object.defineProperty(target, k, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
    if (m.op === "delete") Reflect.deleteProperty(parent, key);
    else if (m.op === "set") own(parent, key, m.value);
    else {
      const target = parent[key];
      if (target !== null && typeof target === "object" && !Array.isArray(target)) own(target, m.key, m.value);
    }
  }
  return doc;
}

/** A ConfigError with a key the operator can look for, or a Config; anything else is the bug. */
function outcome(load: () => Config): "config" | "refused" {
  try {
    const config = load();
    expect(Array.isArray(config.resourceIds)).toBe(true);
    return "config";
  } catch (err) {
    expect(err, err instanceof Error ? err.stack : String(err)).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.key.length).toBeGreaterThan(0);
    expect(e.message.length).toBeGreaterThan(0);
    return "refused";
  }
}

function fromText(text: string): () => Config {
  const file = join(dir, `c${n++}.yaml`);
  writeFileSync(file, text);
  return () => loadConfig({ file, env: {} });
}

describe(`configuration, fuzzed (FUZZ_SEED=${SEED})`, () => {
  it("loads the documented file as written", () => {
    expect(outcome(fromText(stringify(DOCUMENTED)))).toBe("config");
  });

  it("loads a mutated documented file or names the key that is wrong", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        seen.add(outcome(fromText(stringify(mutate(DOCUMENTED, ms)))));
      }),
      { numRuns: 300, seed: SEED },
    );
    // both sides were reached, or the mutations proved nothing
    expect(seen).toEqual(new Set(["config", "refused"]));
  });

  it("refuses arbitrary YAML text, alias bombs and tags included, with a ConfigError", () => {
    const yamlish = fc.array(fc.constantFrom("a: ", "- ", "&x ", "*x ", "<<: *x\n", "!!binary ", "!!str ", "!!js/function ", "? ", ": ", "{", "}", "[", "]", "'", '"', "\n", "  ", "#", "|\n  ", ">\n", "---\n", "...\n", "%YAML 1.2\n", "resources", "schedules", "timezone", "port", "1", "\t", "\u0000", "\ufeff"), { maxLength: 40 }).map((p) => p.join(""));
    const bomb = fc.integer({ min: 2, max: 9 }).map((depth) => ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: depth }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n"));
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 100 }), bomb), (text) => {
        outcome(fromText(text));
      }),
      { numRuns: 300, seed: SEED + 1 },
    );
  });

  it("reads odd environment values as a Config or a ConfigError naming the variable", () => {
    const vars = ["AOAI_RESOURCE_IDS", "AOAI_TIMEZONE", "AOAI_ARM_ENDPOINT", "AOAI_LOGS_ENDPOINT", "AOAI_AUDIT_RETENTION_DAYS", "PORT", "AOAI_WORKSPACE_ID"] as const;
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("0", "-1", "1e400", "NaN", "Infinity", " ", ",", `${ID},`, `,${ID},,`, "https://", "http://x", "UTC", "65536", "3978"));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...vars), value), (env) => {
        try {
          loadConfig({ env, cwd: "/nonexistent" });
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect(vars as readonly string[]).toContain((err as ConfigError).key);
        }
      }),
      { numRuns: 300, seed: SEED + 2 },
    );
  });
});
