// During the demo's incidents every answer points the right way: more than a hundred questions an
// on-call engineer would type (incident-questions.ts), asked through the real bot and the real
// @azure/arm-monitor client against the demo simulator, each compared with a figure this file
// computes from the demo's raw per-minute traffic (incident-truth.ts), never with the bot's own code.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.ts";
import { createQuerySource } from "../../src/app/query-source.ts";
import type { Place } from "../../src/bot/asker.ts";
import { Bot } from "../../src/bot/bot.ts";
import { ConversationContexts } from "../../src/bot/context.ts";
import { ContextualAsker } from "../../src/bot/context-ask.ts";
import type { Reply } from "../../src/bot/reply.ts";
import { SqliteStore } from "../../src/store/sqlite-store.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { answerJson, tableAnswerJson } from "../../src/cli/json-output.ts";
import { runCli } from "../../src/cli/main.ts";
import { MOMENTS, ROWS, type Category, type FigureRow, type Moment, type Row, type TableRow, type Want, type WindowName } from "./incident-questions.ts";
import { calls, CODES, codesOf, covered, DAY, DEPLOYMENTS, HOUR, iso, latency, MIN, perMinute, tokens, type Codes, type Span } from "./incident-truth.ts";

interface AnswerJson {
  readonly window: { readonly start: string; readonly end: string };
  readonly notes: readonly string[];
  readonly baseline?: { readonly timespan: string; readonly kind: string; readonly label: string };
  readonly freshness?: { readonly dataUntil: string; readonly coveredMinutes: number; readonly windowMinutes: number };
  readonly answers: readonly {
    readonly label: string;
    readonly value: number | null;
    readonly previous: number | null;
    readonly item?: { readonly dimension: string; readonly value: string };
    readonly baseline?: { readonly timespan: string; readonly kind: string };
    readonly parts?: { readonly numerator: number; readonly denominator: number };
    readonly peakAt?: string;
    readonly splitBy?: string;
    readonly hiddenSeries?: number;
    readonly series: readonly { readonly dimensions: Readonly<Record<string, string>>; readonly value: number | null }[];
  }[];
}
interface JudgedRow {
  readonly name: string;
  readonly health: string;
  readonly findings: readonly { readonly check: string }[];
}
/** A table answer as `aoai ask --json` prints it (json-output.ts tableAnswerJson): what these rows check of it. */
interface TableJson {
  readonly kind: string;
  readonly table: { readonly columns: readonly { readonly name: string; readonly type: string }[]; readonly rows: readonly (readonly (string | number | boolean | null)[])[] };
  readonly requests: readonly { readonly api: string; readonly template?: { readonly id: string } }[];
}
type Asked =
  | { readonly json: AnswerJson; readonly text: string; readonly verdict?: readonly JudgedRow[] }
  | { readonly table: TableJson }
  | { readonly error: string; readonly message: string };

const config = loadConfig({ env: {}, cwd: "/nonexistent" });
/** One bot (one simulator, one hour cache) per moment, reused by every row asked at it. */
const bots = new Map<Moment, Bot>();
function botAt(at: Moment): Bot {
  let bot = bots.get(at);
  if (!bot) {
    const source = createQuerySource(config, { source: "demo", now: new Date(MOMENTS[at]) });
    bot = new Bot(source.service, undefined, { verdict: config.verdict, tables: source.tables });
    bots.set(at, bot);
  }
  return bot;
}

/** Follow-ups remember the previous question in the store, per thread: one in-memory SQLite store for the file. */
const store = new SqliteStore(":memory:");
const contexts = new ConversationContexts(store);
const askers = new Map<Moment, ContextualAsker>();
let threads = 0;

/**
 * What `aoai ask --json --now <at>` does, on a shared bot: understand, answer, the JSON contract.
 * `after`: first asked in a fresh Slack thread, then `q` is asked there as the conversation asks it.
 */
async function ask(q: string, at: Moment, after?: string): Promise<Asked> {
  const bot = botAt(at);
  let reply: Reply;
  if (after === undefined) {
    const understood = await bot.understand(q, { platform: "cli" });
    if ("reply" in understood) return understood.reply.kind === "error" ? { error: understood.reply.code, message: understood.reply.message } : { error: understood.reply.kind, message: "" };
    reply = await bot.answer(understood.question, new Date(MOMENTS[at]), understood.resources);
  } else {
    let asker = askers.get(at);
    if (!asker) {
      asker = new ContextualAsker(bot, contexts);
      askers.set(at, asker);
    }
    threads++;
    const place: Place = { platform: "slack", workspace: "T1", channel: "C1", user: "U1", thread: `1764600000.${String(threads).padStart(6, "0")}` };
    await asker.ask(after, place);
    reply = (await asker.ask(q, place)).reply;
  }
  if (reply.kind === "error") return { error: reply.code, message: reply.message };
  if (reply.kind === "table") return { table: tableAnswerJson(reply.answer) as TableJson };
  if (reply.kind !== "answer") return { error: reply.kind, message: "" };
  return { json: answerJson(reply.answer) as AnswerJson, text: renderText(composeReply(reply, q)), ...(reply.verdict ? { verdict: reply.verdict.rows } : {}) };
}

// ---- windows and baselines, resolved here in UTC ----

interface Resolved {
  readonly span: Span;
  readonly kind: "previous" | "day-before" | "week-before";
  readonly shift: number;
  readonly label: string;
}

const ROLLING: Readonly<Partial<Record<WindowName, readonly [number, string]>>> = {
  "15m": [15, "the previous 15 min"],
  "30m": [30, "the previous 30 min"],
  "1h": [60, "the previous hour"],
  "3h": [180, "the previous 3 h"],
  "6h": [360, "the previous 6 h"],
  "24h": [1440, "the previous 24 h"],
};

/** Hours of a day, and the baseline: a weekday is compared with a week earlier, a part of a day with the day before. */
const PART_OF_DAY: Readonly<Partial<Record<WindowName, readonly [number, number, "day-before" | "week-before"]>>> = {
  monday: [0, 24, "week-before"],
  "monday morning": [6, 12, "week-before"],
  "this morning": [6, 12, "day-before"],
  "this afternoon": [12, 18, "day-before"],
  "yesterday afternoon": [12, 18, "day-before"],
  // the night that began yesterday evening
  overnight: [-2, 6, "day-before"],
};

function resolve(name: WindowName, nowIso: string, vs?: "day-before" | "week-before"): Resolved {
  const now = Date.parse(nowIso);
  const midnight = Math.floor(now / DAY) * DAY;
  const since = (hour: number) => (midnight + hour * HOUR > now ? midnight + hour * HOUR - DAY : midnight + hour * HOUR);
  // 1970-01-01 was a Thursday: (day + 3) % 7 counts days since Monday
  const monday = midnight - ((Math.floor(now / DAY) + 3) % 7) * DAY;
  const rolling = ROLLING[name];
  let own: Resolved;
  if (rolling) own = { span: { start: now - rolling[0] * MIN, end: now }, kind: "previous", shift: rolling[0] * MIN, label: rolling[1] };
  else if (name === "13:30-14:00") own = { span: { start: midnight + 13.5 * HOUR, end: midnight + 14 * HOUR }, kind: "day-before", shift: DAY, label: "the same hours the day before" };
  else if (name === "yesterday 13:30-14:30") own = { span: { start: midnight - DAY + 13.5 * HOUR, end: midnight - DAY + 14.5 * HOUR }, kind: "day-before", shift: DAY, label: "the same hours the day before" };
  else if (PART_OF_DAY[name]) {
    const [from, to, kind] = PART_OF_DAY[name];
    const day = kind === "week-before" ? monday : name === "yesterday afternoon" ? midnight - DAY : midnight;
    own = { span: { start: day + from * HOUR, end: Math.min(now, day + to * HOUR) }, kind, shift: kind === "week-before" ? 7 * DAY : DAY, label: kind === "week-before" ? "the same hours a week earlier" : "the same hours the day before" };
  } else if (name === "yesterday") own = { span: { start: midnight - DAY, end: midnight }, kind: "day-before", shift: DAY, label: "the day before" };
  else if (name === "week") own = { span: { start: monday, end: now }, kind: "week-before", shift: 7 * DAY, label: "the same time last week" };
  else own = { span: { start: name === "today" ? midnight : since(name === "since09" ? 9 : 13), end: now }, kind: "day-before", shift: DAY, label: "the same time yesterday" };
  if (vs === "day-before") return { ...own, kind: vs, shift: DAY, label: "the same time yesterday" };
  if (vs === "week-before") return { ...own, kind: vs, shift: 7 * DAY, label: "the same time last week" };
  return own;
}

/** The baseline: the same covered length, one shift earlier, so late minutes are never a drop. */
function baselineSpan(r: Resolved, now: Date): Span {
  const length = covered(r.span, now).end - r.span.start;
  return { start: r.span.start - r.shift, end: r.span.start - r.shift + length };
}

// ---- figures, computed from raw minutes ----

interface Truth {
  readonly value: number | null;
  readonly parts?: { readonly numerator: number; readonly denominator: number };
  readonly peakAt?: string;
}

function truth(want: Want, deployments: readonly string[], codes: readonly string[] | undefined, span: Span, now: Date): Truth {
  const sel = (c: Codes) => ({ deployments, codes: codes ?? codesOf(c) });
  const f = want.figure;
  switch (f.kind) {
    case "calls":
      return { value: calls(sel(f.codes), span, now) };
    case "tokens":
      return { value: tokens(deployments, span, now) };
    case "share": {
      const all = calls({ deployments, codes: CODES }, span, now);
      const part = calls({ deployments, codes: codesOf(f.of) }, span, now);
      return all === 0 ? { value: null } : { value: (part / all) * 100, parts: { numerator: part, denominator: all } };
    }
    case "availability": {
      const all = calls({ deployments, codes: CODES }, span, now);
      return { value: all === 0 ? null : ((all - calls({ deployments, codes: codesOf("5xx") }, span, now)) / all) * 100 };
    }
    case "latency":
      return { value: latency(sel(f.codes), span, now) };
    case "rpm":
    case "tpm": {
      const ms = perMinute({ deployments, codes: CODES }, span, now);
      return { value: ms.length === 0 ? null : ms.reduce((s, m) => s + (f.kind === "rpm" ? m.calls : m.tokens), 0) / ms.length };
    }
    case "rpm-peak":
    case "tpm-peak":
    case "slowest": {
      const ms = perMinute({ deployments, codes: f.kind === "slowest" ? codesOf("2xx") : CODES }, span, now);
      let best: { v: number; t: number } | undefined;
      for (const m of ms) {
        const v = f.kind === "rpm-peak" ? m.calls : f.kind === "tpm-peak" ? m.tokens : m.calls === 0 ? Number.NaN : m.ms / m.calls;
        if (!Number.isNaN(v) && (best === undefined || v > best.v)) best = { v, t: m.t };
      }
      return best ? { value: best.v, peakAt: iso(best.t) } : { value: null };
    }
  }
}

function expectFigure(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null || actual === null || actual === undefined) {
    expect(actual ?? null, what).toBe(expected);
    return;
  }
  if (Number.isInteger(expected)) expect(actual, what).toBe(expected);
  else expect(Math.abs(actual - expected), `${what}: ${String(actual)} vs ${String(expected)}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const utcMinute = (ms: number) => iso(ms).slice(0, 16).replace("T", " ");
const en = (n: number) => n.toLocaleString("en-US");

function check(row: FigureRow, json: AnswerJson): void {
  const nowIso = MOMENTS[row.at ?? "incident"];
  const now = new Date(nowIso);
  const r = resolve(row.window ?? "1h", nowIso, row.vs);
  const cut = covered(r.span, now);
  const base = baselineSpan(r, now);
  const span = `${iso(base.start)}/${iso(base.end)}`;
  const notes = json.notes.join("\n");

  expect(json.window, "window").toMatchObject({ start: iso(r.span.start), end: iso(r.span.end) });
  expect(json.baseline, "baseline").toEqual({ kind: r.kind, timespan: span, label: r.label });
  if (cut.end < r.span.end) {
    const coveredMinutes = (cut.end - r.span.start) / MIN;
    const windowMinutes = (r.span.end - r.span.start) / MIN;
    expect(json.freshness, "freshness").toEqual({ dataUntil: iso(cut.end), coveredMinutes, windowMinutes });
    expect(notes).toContain(`Data is in up to ${utcMinute(cut.end)} UTC`);
    expect(notes).toContain(`${String(coveredMinutes)} of ${String(windowMinutes)} minutes`);
  } else {
    expect(json.freshness, "a past window is complete").toBeUndefined();
  }
  if (row.notes?.includes("availability counts 429s")) expect(notes).toContain("counts 429s as available");
  for (const alias of row.notes?.filter((n) => n.startsWith("alias ")) ?? []) expect(notes).toContain(alias.slice("alias ".length));

  let material = false;
  expect(json.answers.map((a) => a.label).sort(), "one answer per asked figure").toEqual(row.expect.map((w) => w.label).sort());
  for (const want of row.expect) {
    const a = json.answers.find((x) => x.label === want.label);
    if (!a) throw new Error(`no answer labelled ${want.label}`);
    const deployments = want.deployments ?? DEPLOYMENTS;
    const value = truth(want, deployments, undefined, cut, now);
    const previous = truth(want, deployments, undefined, base, now);
    expectFigure(a.value, value.value, `${want.label} value`);
    expectFigure(a.previous, previous.value, `${want.label} previous`);
    expect(a.baseline, `${want.label} baseline`).toEqual({ kind: r.kind, timespan: span });
    if (value.parts) expect(a.parts, `${want.label} parts`).toEqual(value.parts);
    if (value.peakAt) expect(a.peakAt, `${want.label} minute`).toBe(value.peakAt);
    if (want.item !== undefined) expect(a.item, "compared item").toEqual({ dimension: "ModelDeploymentName", value: want.item });
    if (want.split) checkSplit(want, a, deployments, cut, now);
    if (want.figure.kind === "latency" && want.figure.codes === "2xx" && value.value !== null) material ||= checkAllCallsNote(notes, deployments, cut, now, value.value);
  }
}

/**
 * Latency is of successful calls; the answer adds what all calls show, and why, when that differs by
 * more than the bot's documented 10 % (ALL_STATUS_NOTE_RATIO), and only then.
 */
function checkAllCallsNote(notes: string, deployments: readonly string[], span: Span, now: Date, successful: number): boolean {
  const all = latency({ deployments, codes: CODES }, span, now) ?? successful;
  const said = `over all calls it is ${en(Math.round(all))} ms`;
  const material = Math.abs(all - successful) / successful > 0.1;
  if (!material) {
    expect(notes).not.toContain(said);
    return false;
  }
  const others = calls({ deployments, codes: CODES.filter((c) => !c.startsWith("2")) }, span, now);
  expect(notes).toContain(`${said}, because ${en(others)} non-2xx calls`);
  return true;
}

/** Each split row is its own figure, and together they are the total. */
function checkSplit(want: Want, a: AnswerJson["answers"][number], deployments: readonly string[], span: Span, now: Date): void {
  const by = want.split ?? "ModelDeploymentName";
  expect(a.splitBy).toBe(by);
  const keys = by === "ModelDeploymentName" ? deployments : want.figure.kind === "calls" ? codesOf(want.figure.codes) : CODES;
  const expected = keys
    .map((k) => ({ k, v: by === "ModelDeploymentName" ? truth(want, [k], undefined, span, now).value : truth(want, deployments, [k], span, now).value }))
    .filter((x) => x.v !== null);
  const got = a.series.map((s) => ({ k: s.dimensions[by] ?? "", v: s.value }));
  if (want.top !== undefined) {
    const largest = expected.filter((x) => x.v !== 0).sort((x, y) => (y.v ?? 0) - (x.v ?? 0)).slice(0, want.top);
    expect(got.slice(0, largest.length), `the top ${String(want.top)}`).toEqual(largest);
    // fewer than N with any: Azure's top N fills up with series of 0, each a real one
    expect(got.length).toBeLessThanOrEqual(want.top);
    for (const g of got.slice(largest.length)) expect(expected).toContainEqual({ k: g.k, v: 0 });
    return;
  }
  expect(a.hiddenSeries).toBe(0);
  // a row of 0 may be shown or left out; a row with calls is always shown, with its own figure
  for (const g of got) expect(expected.map((x) => x.k), `${by} row ${g.k}`).toContain(g.k);
  for (const e of expected.filter((x) => x.v !== 0)) expectFigure(got.find((x) => x.k === e.k)?.v, e.v, `${by}=${e.k}`);
  for (const g of got) expectFigure(g.v, expected.find((x) => x.k === g.k)?.v ?? null, `${by}=${g.k}`);
  if (want.figure.kind === "calls" || want.figure.kind === "tokens") expect(got.reduce((s, x) => s + (x.v ?? 0), 0), "rows add up to the total").toBe(a.value);
}

// ---- the verdict, judged here from the raw data with the default thresholds ----

const LIMITS = { throttleRate: 5, errorRate: 5, successRate: 95, latencyChange: 50, minCalls: 20 };
const pct = (v: number) => `${String(Number(v.toFixed(2)))} %`;

/** The span a live window's own last minutes are judged over (verdict.ts RECENT_MINUTES), covered part only. */
const RECENT = 10 * MIN;

/**
 * Each deployment's findings over the row's window, in the bot's documented order (down, throttled,
 * erroring, unsuccessful, slow), then over `last` (a live window's last minutes) each rate or latency
 * the whole window did not already flag.
 */
function judgeHere(deployment: string, span: Span, base: Span, now: Date, last?: Span): { check: string; said?: string }[] {
  const one = [deployment];
  const all = calls({ deployments: one, codes: CODES }, span, now);
  const n = (c: Codes) => calls({ deployments: one, codes: codesOf(c) }, span, now);
  if (all === 0) return [];
  const out: { check: string; said?: string }[] = [];
  const share = (c: Codes) => (n(c) / all) * 100;
  if (n("2xx") === 0) out.push({ check: "down", said: `none of ${en(all)} calls succeeded` });
  if (all < LIMITS.minCalls) return out;
  if (share("429") > LIMITS.throttleRate) out.push({ check: "throttled", said: `${pct(share("429"))} of calls throttled (${en(n("429"))} of ${en(all)} answered 429)` });
  if (share("4xx+5xx") > LIMITS.errorRate) out.push({ check: "erroring", said: `${pct(share("4xx+5xx"))} of calls failed (${en(n("4xx+5xx"))} of ${en(all)} answered 4xx or 5xx)` });
  if (share("2xx") < LIMITS.successRate) out.push({ check: "unsuccessful", said: `only ${pct(share("2xx"))} of calls succeeded (${en(n("2xx"))} of ${en(all)} answered 2xx)` });
  const now2xx = latency({ deployments: one, codes: codesOf("2xx") }, span, now);
  const before = latency({ deployments: one, codes: codesOf("2xx") }, base, now);
  if (now2xx !== null && before !== null && (now2xx / before - 1) * 100 > LIMITS.latencyChange) out.push({ check: "slow" });
  const lastAll = last ? calls({ deployments: one, codes: CODES }, last, now) : 0;
  if (last === undefined || lastAll < LIMITS.minCalls) return out;
  const has = (check: string) => out.some((f) => f.check === check);
  const k = (c: Codes) => calls({ deployments: one, codes: codesOf(c) }, last, now);
  const lastShare = (c: Codes) => (k(c) / lastAll) * 100;
  if (!has("throttled") && lastShare("429") > LIMITS.throttleRate) out.push({ check: "throttled-recently", said: `${pct(lastShare("429"))} of calls throttled in the last 10 min (${en(k("429"))} of ${en(lastAll)} answered 429)` });
  if (!has("erroring") && lastShare("4xx+5xx") > LIMITS.errorRate) out.push({ check: "erroring-recently", said: `${pct(lastShare("4xx+5xx"))} of calls failed in the last 10 min (${en(k("4xx+5xx"))} of ${en(lastAll)} answered 4xx or 5xx)` });
  const last2xx = latency({ deployments: one, codes: codesOf("2xx") }, last, now);
  if (!has("slow") && last2xx !== null && before !== null && (last2xx / before - 1) * 100 > LIMITS.latencyChange) {
    out.push({ check: "slow-recently", said: `successful calls' time to response ${en(Math.round(last2xx))} ms in the last 10 min, +${pct((last2xx / before - 1) * 100)} vs the previous hour (${en(Math.round(before))} ms)` });
  }
  return out;
}

/** The verdict line names every deployment that is off, with its first finding's figure, and calls the others normal. */
function checkVerdict(row: FigureRow, got: Extract<Asked, { json: AnswerJson }>): void {
  const nowIso = MOMENTS[row.at ?? "incident"];
  const now = new Date(nowIso);
  const r = resolve(row.window ?? "1h", nowIso, row.vs);
  const cut = covered(r.span, now);
  const base = baselineSpan(r, now);
  const line = got.text.split("\n").find((l) => /^\s*(?:⚠️|🟢|🔴|⛔)/u.test(l)) ?? got.text.split("\n")[1] ?? "";
  // live (ends now) and drawn from PT1M points (at most 200 minutes, grain.ts): its last minutes are judged too
  const live = r.span.end === now.getTime() && r.span.end - r.span.start <= 200 * MIN;
  const last = live ? covered({ start: r.span.end - RECENT, end: r.span.end }, now) : undefined;
  const mine = new Map(DEPLOYMENTS.map((d) => [d, judgeHere(d, cut, base, now, last)]));
  expect(new Map((got.verdict ?? []).map((j) => [j.name, j.findings.map((f) => f.check)])), "each deployment's findings").toEqual(new Map([...mine].map(([d, f]) => [d, f.map((x) => x.check)])));
  const focus = row.verdict?.focus;
  for (const [d, findings] of mine) {
    if (focus !== undefined && d !== focus) continue;
    const first = findings[0];
    if (first?.said !== undefined) {
      expect(line, `${d} named with its figure`).toContain(d);
      expect(line).toContain(first.said);
    } else if (first === undefined && focus === d) {
      expect(line).toContain(`${d} is up: ${en(calls({ deployments: [d], codes: CODES }, cut, now))} calls`);
    }
  }
  for (const d of row.verdict?.names ?? []) expect(line, `${d} is called out`).toMatch(new RegExp(`${d}: `));
  const normal = [...mine].filter(([, f]) => f.length === 0).map(([d]) => d);
  if (focus === undefined && normal.length === DEPLOYMENTS.length) expect(line).toContain(`All ${String(DEPLOYMENTS.length)} deployments look normal`);
  else if (focus === undefined && normal.length > 0) expect(line).toContain("look normal");
  if (focus === undefined) for (const d of normal) expect(line, `${d} is not called out`).not.toMatch(new RegExp(`${d}: `));
}

// ---- table answers: the right kind of table, about the asked deployments (their figures: table-truth.test.ts) ----

const TABLE_KINDS: Readonly<Record<TableRow["table"], { readonly kind: string; readonly template?: string; readonly columns: readonly string[] }>> = {
  quota: { kind: "quota", columns: ["deployment", "TPM limit", "peak tokens/min", "% of TPM", "429s"] },
  "failed-requests": { kind: "logs", template: "failed-requests", columns: ["TimeGenerated", "ResultSignature", "DurationMs", "CorrelationId", "deployment"] },
  percentiles: { kind: "logs", template: "percentiles", columns: ["deployment", "streamType", "calls"] },
};

function checkTable(row: TableRow, got: TableJson): void {
  const want = TABLE_KINDS[row.table];
  expect(got.kind, "kind of table").toBe(want.kind);
  if (want.template !== undefined) expect(got.requests.filter((r) => r.api === "logs").map((r) => r.template?.id), "the log template asked").toEqual([want.template]);
  const names = got.table.columns.map((c) => c.name);
  expect(names).toEqual(expect.arrayContaining([...want.columns]));
  const at = names.indexOf("deployment");
  const shown = new Set(got.table.rows.map((r) => r[at]));
  expect(got.table.rows.length, "rows").toBeGreaterThan(0);
  // quota lists every asked deployment; a log table only those that logged rows, never another
  if (row.table === "quota") expect(shown).toEqual(new Set(row.deployments ?? DEPLOYMENTS));
  else for (const d of shown) expect(row.deployments ?? DEPLOYMENTS).toContain(d);
  if (row.table === "failed-requests") for (const r of got.table.rows) expect(String(r[names.indexOf("ResultSignature")])).not.toMatch(/^2/);
}

// ---- the table ----

const asked = new Map<Row, Asked>();
const label = (row: Row) => `${"after" in row && row.after !== undefined ? `${row.after} → ` : ""}${row.q} @${row.at ?? "incident"}`;

beforeAll(async () => {
  // parallel batches: the bot awaits the simulator per request, so a batch overlaps its round trips
  for (let i = 0; i < ROWS.length; i += 8) {
    const batch = ROWS.slice(i, i + 8);
    const answers = await Promise.all(batch.map((row) => ask(row.q, row.at ?? "incident", "after" in row ? row.after : undefined)));
    batch.forEach((row, j) => asked.set(row, answers[j] ?? { error: "none", message: "" }));
  }
}, 120_000);
afterAll(async () => {
  await store.close();
});

describe("incident questions, each against the raw per-minute data", () => {
  it("has at least 100 questions, covering every kind of defect the issue lists", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(100);
    const categories: readonly Category[] = [
      "success rate vs availability",
      "latency of successful calls",
      "status filters",
      "error and throttle rates",
      "per-minute rates",
      "slowest minute",
      "A vs B",
      "vs yesterday / last week",
      "calendar windows",
      "rolling windows",
      "splits",
      "freshness",
      "refusals",
      "latency spike",
      "quiet night",
      "verdict",
      "weekday and part-of-day windows",
      "deployment aliases",
      "can't answer yet",
      "follow-ups",
      "table answers",
    ];
    expect(new Set(ROWS.map((r) => r.category))).toEqual(new Set(categories));
    expect(new Set(ROWS.map(label)).size, "no row twice").toBe(ROWS.length);
  });

  it.each(ROWS.map((row) => [label(row), row] as const))("%s", (_, row) => {
    const got = asked.get(row);
    if (!got) throw new Error("not asked");
    if ("refuse" in row) {
      expect(got).toMatchObject({ error: row.refuse });
      return;
    }
    if ("error" in got) throw new Error(`answered ${got.error}: ${got.message}`);
    if ("table" in row) {
      if (!("table" in got)) throw new Error("answered with figures, not a table");
      checkTable(row, got.table);
      return;
    }
    if (!("json" in got)) throw new Error("answered with a table, not figures");
    check(row, got.json);
    if (row.verdict) checkVerdict(row, got);
  });

  it("`aoai ask --json` prints the same answers as the shared bot", async () => {
    for (const row of ROWS.filter((r) => ["success rate gpt-4o-mini last hour", "errors status=5xx today", "compare gpt-4o and gpt-4o-mini latency"].includes(r.q))) {
      const out: string[] = [];
      const code = await runCli(["ask", "--json", "--source", "demo", "--now", MOMENTS[row.at ?? "incident"], row.q], { out: (s) => out.push(s), err: () => undefined, env: {} });
      expect(code).toBe(0);
      const got = asked.get(row);
      expect(got && "json" in got ? got.json : undefined).toEqual(JSON.parse(out.join("\n")));
    }
  });
});

// ---- properties over deployments × windows × status classes, at incident time ----

const NOW = new Date(MOMENTS.incident);
const WINDOWS = [
  ["last 15 minutes", "15m"],
  ["last hour", "1h"],
  ["last 3 hours", "3h"],
  ["today", "today"],
  ["since 13:00", "since13"],
] as const;
const deploymentArb = fc.constantFrom<string | undefined>(undefined, ...DEPLOYMENTS);
const windowArb = fc.constantFrom(...WINDOWS);
const codeArb = fc.constantFrom(...CODES);
const RUNS = { numRuns: 12, seed: 20261201 };

async function figure(q: string): Promise<AnswerJson["answers"][number][]> {
  const got = await ask(q, "incident");
  if ("error" in got) throw new Error(`"${q}" answered ${got.error}: ${got.message}`);
  if (!("json" in got)) throw new Error(`"${q}" answered with a table`);
  return [...got.json.answers];
}
const scope = (d: string | undefined) => (d === undefined ? "" : ` deployment=${d}`);
const spanOf = (w: WindowName) => covered(resolve(w, MOMENTS.incident).span, NOW);

describe("properties at incident time", () => {
  it("splits by deployment and by status code add up to the total, and the total is the data's", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("requests", "errors", "429s", "tokens"), windowArb, async (signal, [phrase, w]) => {
        const [total] = await figure(`${signal} ${phrase}`);
        const [byDeployment] = await figure(`${signal} by deployment ${phrase}`);
        expect(byDeployment?.series.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(total?.value);
        if (signal !== "tokens") {
          const [byCode] = await figure(`${signal} by status code ${phrase}`);
          expect(byCode?.series.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(total?.value);
        }
        const codes = signal === "errors" ? codesOf("4xx+5xx") : signal === "429s" ? ["429"] : CODES;
        expect(total?.value).toBe(signal === "tokens" ? tokens(DEPLOYMENTS, spanOf(w), NOW) : calls({ deployments: DEPLOYMENTS, codes }, spanOf(w), NOW));
      }),
      RUNS,
    );
  });

  it("success, client-error and server-error shares add up to 100 % (no other classes in the demo), each from its counts", async () => {
    await fc.assert(
      fc.asyncProperty(deploymentArb, windowArb, async (d, [phrase, w]) => {
        const [success] = await figure(`success rate${scope(d)} ${phrase}`);
        const [errors] = await figure(`error rate${scope(d)} ${phrase}`);
        const [throttled] = await figure(`throttle rate${scope(d)} ${phrase}`);
        const all = calls({ deployments: d === undefined ? DEPLOYMENTS : [d], codes: CODES }, spanOf(w), NOW);
        expect(success?.parts?.denominator).toBe(all);
        expect((success?.value ?? 0) + (errors?.value ?? 0)).toBeCloseTo(100, 9);
        expect(success?.parts?.numerator ?? 0).toBe(all - (errors?.parts?.numerator ?? 0));
        expect(throttled?.value ?? 0).toBeLessThanOrEqual(errors?.value ?? 0);
      }),
      RUNS,
    );
  });

  it("no figure is 0 or no data when the same data with a wider filter has calls", async () => {
    await fc.assert(
      fc.asyncProperty(deploymentArb, windowArb, codeArb, fc.constantFrom("requests", "errors"), async (d, [phrase, w], code, signal) => {
        if (signal === "errors" && code === "200") return;
        const [narrow] = await figure(`${signal} status=${code}${scope(d)} ${phrase}`);
        const [wide] = await figure(`${signal} status=${code.charAt(0)}xx${scope(d)} ${phrase}`);
        const [widest] = await figure(`requests${scope(d)} ${phrase}`);
        const expected = calls({ deployments: d === undefined ? DEPLOYMENTS : [d], codes: [code] }, spanOf(w), NOW);
        expect(narrow?.value).toBe(expected);
        expect(wide?.value ?? 0).toBeGreaterThanOrEqual(narrow?.value ?? 0);
        expect(widest?.value ?? 0).toBeGreaterThanOrEqual(wide?.value ?? 0);
        if (expected > 0) expect(narrow?.value).toBeGreaterThan(0);
        // the latency of just those calls exists whenever there were calls
        const [lat] = await figure(`latency status=${code}${scope(d)} ${phrase}`);
        expectFigure(lat?.value, latency({ deployments: d === undefined ? DEPLOYMENTS : [d], codes: [code] }, spanOf(w), NOW), `latency of ${code}`);
      }),
      RUNS,
    );
  });
});
