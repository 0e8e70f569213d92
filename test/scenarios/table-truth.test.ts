// During the demo's incidents the table answers (request logs, quota, the activity log) show the
// demo's own data: each figure an on-call engineer reads off a table is compared with one computed
// here from the raw per-minute traffic, the deployment plans and the scripted changes
// (table-truth.ts, incident-truth.ts), never with the bot's code. Asked through the real bot over
// the demo's query layer (simulated ARM, metrics and workspace), at a pinned now, as `aoai ask --json --now` does.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import { Bot } from "../../src/bot/bot.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { answerJson, tableAnswerJson } from "../../src/cli/json-output.ts";
import { runCli } from "../../src/cli/main.ts";
import { calls, CODES, covered, DAY, DEPLOYMENTS, HOUR, iso, latency, MIN, visible, type Span } from "./incident-truth.ts";
import { failedInMinute, landedLogs, logCounts, quotaTruth, shareOf, SPIKE_CHANGE, successfulCalls } from "./table-truth.ts";

type Value = string | number | boolean | null;
interface TableJson {
  readonly kind: string;
  readonly window?: { readonly start: string; readonly end: string };
  readonly lines: readonly string[];
  readonly notes: readonly string[];
  readonly table: { readonly columns: readonly { readonly name: string; readonly type: string }[]; readonly rows: readonly (readonly Value[])[] };
}
interface MetricJson {
  readonly window: { readonly start: string; readonly end: string };
  readonly freshness?: unknown;
  readonly answers: readonly { readonly label: string; readonly value: number | null; readonly previous: number | null; readonly series: readonly { readonly dimensions: Readonly<Record<string, string>>; readonly value: number | null }[] }[];
}

const DAY0 = Date.parse("2026-12-01T00:00:00Z");
const at = (hhmm: string): number => DAY0 + Number(hhmm.slice(0, 2)) * HOUR + Number(hhmm.slice(3, 5)) * MIN;
const hhmm = (ms: number): string => iso(ms).slice(11, 16);
/** gpt-4o-mini is throttled 13:30–14:40 UTC; this is the moment of incident-questions.ts. */
const INCIDENT = new Date(at("14:30"));

const config = loadConfig({ env: {}, cwd: "/nonexistent" });
const bots = new Map<number, Bot>();
function botAt(now: Date): Bot {
  let bot = bots.get(now.getTime());
  if (!bot) {
    const source = createQuerySource(config, { source: "demo", now });
    bot = new Bot(source.service, undefined, { verdict: config.verdict, tables: source.tables });
    bots.set(now.getTime(), bot);
  }
  return bot;
}

async function table(q: string, now: Date): Promise<{ json: TableJson; text: string }> {
  const reply = await botAt(now).ask(q, { platform: "cli" }, now);
  if (reply.kind !== "table") throw new Error(`"${q}" answered ${reply.kind === "error" ? `${reply.code}: ${reply.message}` : reply.kind}, not a table`);
  return { json: tableAnswerJson(reply.answer) as TableJson, text: renderText(composeReply(reply, q)) };
}

async function metric(q: string, now: Date): Promise<{ json: MetricJson; text: string }> {
  const reply = await botAt(now).ask(q, { platform: "cli" }, now);
  if (reply.kind !== "answer") throw new Error(`"${q}" answered ${reply.kind === "error" ? `${reply.code}: ${reply.message}` : reply.kind}, not figures`);
  return { json: answerJson(reply.answer) as MetricJson, text: renderText(composeReply(reply, q)) };
}

/** The table's rows as records by column name. */
function records(t: TableJson): Record<string, Value>[] {
  return t.table.rows.map((r) => Object.fromEntries(t.table.columns.map((c, i) => [c.name, r[i] ?? null])));
}

function byDeployment(t: TableJson): Map<string, Record<string, Value>> {
  return new Map(records(t).map((r) => [String(r.deployment), r]));
}

const LAST_HOUR: Span = { start: at("13:30"), end: at("14:30") };

describe("request logs during gpt-4o-mini's throttling, asked at 14:30 UTC", () => {
  it("logs land 3 minutes after metrics: at 14:30 the workspace has rows of minutes up to 14:26, Azure Monitor metrics up to 14:29", () => {
    // Every log figure below is summed over [13:30, 14:26): the minutes whose rows have landed
    // (log-ingestion.ts: a minute's rows land 3 min after its metrics, which land 1–2.5 min after it ends).
    expect(iso(landedLogs(INCIDENT).end)).toBe("2026-12-01T14:26:00Z");
    expect(iso(visible(INCIDENT).end)).toBe("2026-12-01T14:29:00Z");
  });

  it.each([
    ["429s in the logs last hour", true],
    ["logs errors by deployment", false],
  ] as const)("%s: each deployment's calls, 429s, 4xx and 5xx are the raw counts of the landed minutes, most throttled first", async (q, with429) => {
    const { json } = await table(q, INCIDENT);
    expect(json.kind).toBe("logs");
    expect(json.window).toMatchObject({ start: iso(LAST_HOUR.start), end: iso(LAST_HOUR.end) });
    const names = json.table.columns.map((c) => c.name);
    expect(names).toEqual(["deployment", "calls", "throttled_429", "client_errors_4xx", "server_errors_5xx", ...(with429 ? ["status_429"] : [])]);
    const expected = DEPLOYMENTS.map((d) => ({ d, ...logCounts(d, LAST_HOUR, INCIDENT) })).filter((x) => x.calls > 0);
    expected.sort((a, b) => b.throttled429 - a.throttled429 || b.server5xx - a.server5xx || b.client4xx - a.client4xx || a.d.localeCompare(b.d));
    expect(json.table.rows).toEqual(expected.map((x) => [x.d, x.calls, x.throttled429, x.client4xx, x.server5xx, ...(with429 ? [x.throttled429] : [])]));
    // the throttled deployment leads, with thousands of 429s; the other standard deployments have none
    expect(json.table.rows[0]?.[0]).toBe("gpt-4o-mini");
    expect(logCounts("gpt-4o-mini", LAST_HOUR, INCIDENT).throttled429).toBeGreaterThan(5_000);
    expect(logCounts("gpt-4o", LAST_HOUR, INCIDENT).throttled429).toBe(0);
  });

  it("the logs' counts are the metrics' for the same minutes, and last hour's metrics exceed them by exactly the minutes not landed yet", async () => {
    const logs = byDeployment((await table("429s in the logs last hour", INCIDENT)).json);
    const landed = landedLogs(INCIDENT).end;
    const same = `between 13:30 and ${hhmm(landed)}`;
    const [throttled, errors, requests] = await Promise.all([metric(`429s by deployment ${same}`, INCIDENT), metric(`errors by deployment ${same}`, INCIDENT), metric(`requests by deployment ${same}`, INCIDENT)]);
    const series = (m: MetricJson) => new Map((m.answers[0]?.series ?? []).map((s) => [s.dimensions.ModelDeploymentName ?? "", s.value]));
    for (const m of [throttled, errors, requests]) {
      expect(m.json.window).toMatchObject({ start: iso(LAST_HOUR.start), end: iso(landed) });
      expect(m.json.freshness, "the metrics cover every minute of that window").toBeUndefined();
    }
    for (const d of DEPLOYMENTS) {
      const row = logs.get(d);
      if (!row) throw new Error(`no log row for ${d}`);
      expect(series(throttled.json).get(d) ?? 0, `${d} 429s`).toBe(row.throttled_429);
      expect(series(errors.json).get(d) ?? 0, `${d} errors`).toBe(Number(row.client_errors_4xx) + Number(row.server_errors_5xx));
      expect(series(requests.json).get(d) ?? 0, `${d} requests`).toBe(row.calls);
    }
    // "last hour" in metrics reaches 14:29: the difference is the raw 429s of 14:26–14:29, nothing else
    const hour = series((await metric("429s by deployment last hour", INCIDENT)).json);
    const late: Span = { start: landed, end: visible(INCIDENT).end };
    const lateCount = (d: string) => calls({ deployments: [d], codes: ["429"] }, late, INCIDENT);
    expect(lateCount("gpt-4o-mini")).toBeGreaterThan(0);
    for (const d of DEPLOYMENTS) expect((hour.get(d) ?? 0) - Number(logs.get(d)?.throttled_429), `${d}: metrics minus logs`).toBe(lateCount(d));
  });

  it("`aoai ask --json --now` prints the same table", async () => {
    const out: string[] = [];
    const code = await runCli(["ask", "--json", "--source", "demo", "--now", iso(INCIDENT.getTime()), "429s in the logs last hour"], { out: (s) => out.push(s), err: () => undefined, env: {} });
    expect(code).toBe(0);
    expect(JSON.parse(out.join("\n"))).toEqual((await table("429s in the logs last hour", INCIDENT)).json);
  });

  it("last 10 failed requests for gpt-4o-mini: 10 non-2xx rows of gpt-4o-mini, newest first, all from the newest landed minute", async () => {
    const { json } = await table("last 10 failed requests for gpt-4o-mini", INCIDENT);
    expect(json.kind).toBe("logs");
    const rows = records(json);
    expect(rows).toHaveLength(10);
    const landed = landedLogs(INCIDENT).end;
    const times = rows.map((r) => Date.parse(String(r.TimeGenerated)));
    expect(times, "newest first").toEqual([...times].sort((a, b) => b - a));
    for (const r of rows) {
      expect(r.deployment).toBe("gpt-4o-mini");
      expect(String(r.ResultSignature)).toMatch(/^[45]\d\d$/);
      expect(typeof r.DurationMs === "number" && r.DurationMs > 0).toBe(true);
    }
    expect(new Set(rows.map((r) => r.CorrelationId)).size, "ten different calls").toBe(10);
    // the newest landed minute (14:25) has more than ten failed calls of gpt-4o-mini, so all ten are from it, none newer
    const newest = landed - MIN;
    const failed = failedInMinute("gpt-4o-mini", newest);
    expect([...failed.values()].reduce((s, n) => s + n, 0)).toBeGreaterThanOrEqual(10);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(newest);
      expect(t).toBeLessThan(landed);
    }
    // each status shown is one that minute had, at most as often as it had it
    const shown = new Map<string, number>();
    for (const r of rows) shown.set(String(r.ResultSignature), (shown.get(String(r.ResultSignature)) ?? 0) + 1);
    for (const [code, n] of shown) expect(n, `${code} rows`).toBeLessThanOrEqual(failed.get(code) ?? 0);
  });

  it("are logs arriving for gpt-4o? says logging, with the hour's requests from the metrics and its rows from the landed minutes", async () => {
    const { json } = await table("are logs arriving for gpt-4o?", INCIDENT);
    expect(json.lines[0]).toMatch(/^Logging: gpt-4o wrote RequestResponse rows/);
    const [row, ...others] = records(json);
    expect(others).toEqual([]);
    const landed = landedLogs(INCIDENT).end;
    // the metrics' requests of the hour reach 14:29, the log rows 14:26: both agree with the raw minutes they cover
    expect(row).toMatchObject({ deployment: "gpt-4o", state: "logging", "requests in metrics": calls({ deployments: ["gpt-4o"], codes: CODES }, LAST_HOUR, INCIDENT), "log rows": logCounts("gpt-4o", LAST_HOUR, INCIDENT).calls });
    const last = Date.parse(String(row?.["last row at"]));
    expect(last).toBeGreaterThanOrEqual(landed - MIN);
    expect(last).toBeLessThan(landed);
  });
});

describe("quota over the last 24 h, asked at 14:30 UTC", () => {
  const window: Span = { start: INCIDENT.getTime() - DAY, end: INCIDENT.getTime() };

  it("how close is gpt-4o-mini to its limit? its busiest minute of TokenTransaction against its TPM limit, requests against RPM, and its 429s", async () => {
    const { json } = await table("how close is gpt-4o-mini to its limit?", INCIDENT);
    expect(json.kind).toBe("quota");
    expect(json.window).toMatchObject({ start: iso(window.start), end: iso(window.end) });
    const truth = quotaTruth("gpt-4o-mini", window, INCIDENT);
    expect(truth.tpmLimit).toBe(850_000);
    const rows = records(json);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      deployment: "gpt-4o-mini",
      "TPM limit": truth.tpmLimit,
      "peak tokens/min": truth.peakTokens,
      "% of TPM": shareOf(truth.peakTokens, truth.tpmLimit),
      "RPM limit": truth.rpmLimit,
      "peak requests/min": truth.peakRequests,
      "% of RPM": shareOf(truth.peakRequests, truth.rpmLimit),
      "429s": truth.throttled,
    });
    // at its limit: the busiest minute is within a few % of 850k TPM
    expect(shareOf(truth.peakTokens, truth.tpmLimit)).toBeGreaterThan(90);
    expect(json.lines[0]).toContain(`peak 1-minute tokens ${(truth.peakTokens ?? 0).toLocaleString("en-US")} of 850,000 TPM`);
    expect(json.lines[0]).toContain(`in the minute from ${iso(truth.peakTokensAt ?? 0).slice(0, 16).replace("T", " ")} UTC`);
  });

  it("how close are we to quota? every deployment from the raw minutes, sorted by closeness; the provisioned one shows no TPM share, never 0", async () => {
    const { json, text } = await table("how close are we to quota?", INCIDENT);
    const got = byDeployment(json);
    const closeness = new Map<string, number>();
    for (const d of DEPLOYMENTS) {
      const truth = quotaTruth(d, window, INCIDENT);
      const tpm = truth.utilisationPeak === null ? shareOf(truth.peakTokens, truth.tpmLimit) : null;
      const rpm = shareOf(truth.peakRequests, truth.rpmLimit);
      const ptu = truth.utilisationPeak === null ? null : Math.round(truth.utilisationPeak * 10) / 10;
      expect(got.get(d), d).toMatchObject({ "TPM limit": truth.tpmLimit, "peak tokens/min": truth.peakTokens, "% of TPM": tpm, "RPM limit": truth.rpmLimit, "% of RPM": rpm, "429s": truth.throttled, "PTU utilisation peak %": ptu });
      closeness.set(d, Math.max(...[tpm, rpm, ptu].filter((v): v is number => v !== null)));
    }
    expect(records(json).map((r) => r.deployment), "closest to a limit first").toEqual([...DEPLOYMENTS].sort((a, b) => (closeness.get(b) ?? 0) - (closeness.get(a) ?? 0)));
    // gpt-4o's limit is today's: alice raised it to 1,200k TPM at 10:02
    expect(got.get("gpt-4o")?.["TPM limit"]).toBe(SPIKE_CHANGE.to * 1000);
    const ptu = got.get("gpt-4o-ptu");
    expect(ptu?.["TPM limit"]).toBeNull();
    expect(ptu?.["% of TPM"]).toBeNull();
    expect(text).toMatch(/gpt-4o-ptu\s+ProvisionedManaged\s+no data\s+[\d,]+\s+no data\s/);
  });
});

describe("latency percentiles from the request logs around gpt-4o's spike (10:00–10:20 UTC)", () => {
  const now = new Date(at("10:30"));
  const spike: Span = { start: at("09:55"), end: at("10:15") };
  const before: Span = { start: at("08:00"), end: at("09:00") };

  async function percentiles(span: Span): Promise<Map<string, Record<string, Value>>> {
    const { json } = await table(`p50, p95 and p99 latency for gpt-4o between ${hhmm(span.start)} and ${hhmm(span.end)}`, now);
    expect(json.kind).toBe("logs");
    expect(json.window).toMatchObject({ start: iso(span.start), end: iso(span.end) });
    return new Map(records(json).map((r) => [String(r.streamType), r]));
  }

  it.each([
    ["09:55–10:15", spike],
    ["08:00–09:00", before],
  ] as const)("%s: per stream type p50 ≤ p95 ≤ p99 around the raw mean, over exactly the successful calls of the landed minutes", async (_, span) => {
    expect(landedLogs(now).end, "the whole window has landed by 10:30").toBeGreaterThanOrEqual(span.end);
    const rows = await percentiles(span);
    expect([...rows.keys()].sort()).toEqual(["Non-Streaming", "Streaming"]);
    for (const [stream, r] of rows) {
      const truth = successfulCalls("gpt-4o", stream, span, now);
      expect(r.deployment).toBe("gpt-4o");
      expect(r.calls, `${stream} calls`).toBe(truth.calls);
      const [p50, p95, p99] = [Number(r.p50_ms), Number(r.p95_ms), Number(r.p99_ms)];
      expect(p50).toBeGreaterThan(0);
      expect(p50).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(p99);
      // durations are right-skewed around each minute's mean (a stream's until its last byte)
      expect(truth.meanMs ?? 0, `${stream} mean`).toBeGreaterThanOrEqual(p50);
      expect(truth.meanMs ?? 0, `${stream} mean`).toBeLessThanOrEqual(p95);
    }
  });

  it("the spike's p95 is clearly higher than the hour before it, for both stream types", async () => {
    const [during, quiet] = await Promise.all([percentiles(spike), percentiles(before)]);
    for (const stream of ["Streaming", "Non-Streaming"]) {
      expect(Number(during.get(stream)?.p95_ms), stream).toBeGreaterThan(1.5 * Number(quiet.get(stream)?.p95_ms));
    }
  });
});

describe("the activity log around gpt-4o's spike", () => {
  /** When the scripted change started on 2026-12-01; the activity log shows when it succeeded, seconds later. */
  const changedAt = DAY0 + SPIKE_CHANGE.utcSecondOfDay * 1000;
  const ACTIVITY_LINE = /^\s*Changed in this window:/;

  it("what changed today? at 10:30 lists gpt-4o's capacity change at 10:02 by alice@contoso.com", async () => {
    const { json } = await table("what changed today?", new Date(at("10:30")));
    expect(json.kind).toBe("activity");
    const change = records(json).find((r) => r.deployment === "gpt-4o");
    expect(change).toMatchObject({ who: SPIKE_CHANGE.caller, status: "Succeeded" });
    expect(String(change?.what)).toContain(`capacity ${String(SPIKE_CHANGE.to)}`);
    const when = Date.parse(String(change?.time));
    expect(when).toBeGreaterThanOrEqual(changedAt);
    expect(when).toBeLessThan(changedAt + MIN);
    expect(json.lines.join("\n")).toContain(`gpt-4o was updated (capacity ${String(SPIKE_CHANGE.to)}) at 10:02 by ${SPIKE_CHANGE.caller}`);
  });

  /** gpt-4o's successful calls' latency over the last 30 min at `now` vs the 30 min before (the same covered length), from raw minutes. */
  function rawChange(now: Date): { value: number; previous: number; change: number } {
    const span = covered({ start: now.getTime() - 30 * MIN, end: now.getTime() }, now);
    const length = span.end - span.start;
    const sel = { deployments: ["gpt-4o"], codes: CODES.filter((c) => c.startsWith("2")) };
    const value = latency(sel, span, now) ?? Number.NaN;
    const previous = latency(sel, { start: span.start - 30 * MIN, end: span.start - 30 * MIN + length }, now) ?? Number.NaN;
    return { value, previous, change: (value / previous - 1) * 100 };
  }

  it("latency for gpt-4o at 10:20 (the last 30 min) rose sharply, and the answer names the change in one line", async () => {
    const now = new Date(at("10:20"));
    const raw = rawChange(now);
    // sharp-change.ts: a latency is sharp when it moved by the verdict's latencyChange (50 %) or more
    expect(raw.change).toBeGreaterThanOrEqual(config.verdict.latencyChange);
    const { json, text } = await metric("latency for gpt-4o last 30 minutes", now);
    expect(json.answers[0]?.value).toBeCloseTo(raw.value, 6);
    expect(json.answers[0]?.previous).toBeCloseTo(raw.previous, 6);
    const lines = text.split("\n").filter((l) => ACTIVITY_LINE.test(l));
    expect(lines).toHaveLength(1);
    const said = /^\s*Changed in this window: gpt-4o was updated \(capacity (\d+)\) at (\S+) by (\S+)\.$/.exec(lines[0] ?? "");
    expect(said?.[1], lines[0]).toBe(String(SPIKE_CHANGE.to));
    expect(said?.[3]).toBe(SPIKE_CHANGE.caller);
    // the time is the platform's ⟦ISO⟧ (text shows it as is): the change's, seconds after it started at 10:02:14
    const when = Date.parse(said?.[2] ?? "");
    expect(when).toBeGreaterThanOrEqual(changedAt);
    expect(when).toBeLessThan(changedAt + MIN);
  });

  it.each([
    ["08:00", 0],
    // bob regenerates Key2 at 08:42 on this day: a change in the window, but nothing moved, so nothing is said
    ["09:00", 1],
  ] as const)("latency for gpt-4o at %s (a quiet 30 min) says nothing of the activity log", async (time, changes) => {
    const now = new Date(at(time));
    expect(Math.abs(rawChange(now).change)).toBeLessThan(config.verdict.latencyChange);
    const activity = await table(`what changed between ${hhmm(now.getTime() - 30 * MIN)} and ${time}`, now);
    expect(activity.json.table.rows, "changes in the window").toHaveLength(changes);
    const { text } = await metric("latency for gpt-4o last 30 minutes", now);
    expect(text.split("\n").filter((l) => ACTIVITY_LINE.test(l))).toEqual([]);
  });
});
