// A question about several accounts of one region, asked at the console of a real bot (the real
// @azure/monitor-query-metrics and @azure/arm-monitor clients against the loopback fake): wherever
// the answer names its requests — the message's trace, the audit row, `aoai ask --json`, each
// figure's source line — it says they went as one metrics:getBatch call (region, how many accounts),
// or, when the batch API refused (403), as Metrics - List and why. `--plan` says only what may be.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditRowOf } from "../../src/audit/audit-row-of.ts";
import { Bot } from "../../src/bot/bot.ts";
import { Conversation } from "../../src/bot/conversation.ts";
import type { Message } from "../../src/bot/message.ts";
import { renderText } from "../../src/bot/render-text.ts";
import { answerJson, planJson } from "../../src/cli/json-output.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { BatchMetrics } from "../../src/queries/batch-metrics.ts";
import type { MetricsRequest } from "../../src/queries/plan.ts";
import type { Question } from "../../src/queries/question.ts";
import { QueryService } from "../../src/queries/service.ts";
import type { SentAs } from "../../src/queries/sent-as.ts";
import type { AuditRow } from "../../src/store/audit-row.ts";
import { batchRoute, FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";
import { fleet, fleetMetrics, FLEET_REGION } from "../fakes/metrics-fleet.ts";
import { isDataRequest } from "./sent-requests.ts";

const NOW = new Date("2026-11-29T10:00:00Z");
const IDS = fleet(6);
/** 28 Nov against 27 Nov: each account's window (PT15M) and baseline (FULL), each request one batch call for all six. */
const ASKED = "requests yesterday";
const BATCH: SentAs = { api: "metrics_batch", call: "metrics:getBatch", region: FLEET_REGION, endpoint: `https://${FLEET_REGION}.metrics.monitor.azure.com`, accounts: IDS.length };
const HOUR = { kind: "absolute", start: "2026-11-28T12:00:00Z", end: "2026-11-28T13:00:00Z" } as const;
const requests: Question = { topic: "Requests", asks: [{ metric: "AzureOpenAIRequests", aggregation: "Total", label: "Requests" }], window: HOUR, filters: {}, notes: [] };

let fake: FakeAzureMonitor;

function serviceFor(ids: readonly string[], batch = true, configured = true): QueryService {
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), now: () => NOW });
  const regions = configured ? Object.fromEntries(ids.map((id) => [id.toLowerCase(), FLEET_REGION])) : {};
  return new QueryService({ metrics, resourceIds: ids, zone: "UTC", now: () => NOW, ...(batch ? { batch: new BatchMetrics({ metrics, credential: fakeCredential, httpClient: fake.httpClient(), regions }) } : {}) });
}

/** The message the console shows for `text`, and the audit row its turn leaves. */
async function ask(service: QueryService, text: string): Promise<{ message: Message; row: AuditRow }> {
  const rows: AuditRow[] = [];
  const conversation = new Conversation(new Bot(service, silentLogger), [], { observers: [(turn) => rows.push(auditRowOf(turn, Date.now()))] });
  const message = await conversation.say(text, { platform: "console" });
  expect(rows).toHaveLength(1);
  return { message, row: rows[0]! };
}

const accountOf = (r: MetricsRequest) => r.resourceId.split("/").pop();

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

describe("an answer read through the metrics batch API", () => {
  it("names the metrics:getBatch call, its region and how many accounts shared it, in the trace, the audit row, the figures' sources and --json", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    const service = serviceFor(IDS);
    const { message, row } = await ask(service, ASKED);
    expect(message.kind).toBe("answer");
    expect(fake.batchRequests().length).toBeGreaterThan(0);
    expect(fake.requests.filter(isDataRequest)).toHaveLength(0);

    const trace = message.trace?.requests ?? [];
    expect(trace).toHaveLength(2 * IDS.length);
    // each account's window and baseline, each named as part of its batch call
    for (const [k, line] of trace.entries()) {
      expect(line).toMatch(new RegExp(`^metrics:getBatch ${FLEET_REGION} \\(6 accounts\\) aoai-${String(Math.floor(k / 2) + 1)} AzureOpenAIRequests Total `));
      expect(line).toContain(k % 2 === 0 ? "PT15M 2026-11-28T00:00:00Z/2026-11-29T00:00:00Z" : "FULL 2026-11-27T00:00:00Z/2026-11-28T00:00:00Z (baseline)");
    }
    expect(row.requests).toEqual(trace);

    const text = renderText(message);
    for (let i = 1; i <= IDS.length; i++) expect(text).toContain(`aoai-${String(i)} · AzureOpenAIRequests · Total`);
    expect(text.match(/sent as metrics:getBatch swedencentral, one call for 6 accounts/g)).toHaveLength(IDS.length);

    const json = answerJson(await service.answer(requests, NOW)) as { requests: MetricsRequest[]; answers: { provenance: { sentAs?: SentAs } }[] };
    expect(json.requests).toHaveLength(2 * IDS.length);
    expect(json.requests.map((r) => r.sentAs)).toEqual(json.requests.map(() => BATCH));
    expect(json.answers.map((a) => a.provenance.sentAs)).toEqual(IDS.map(() => BATCH));
  });

  it("a live hour merged with its baseline and the freshness probe: the one request names the batch call and the windows it covers, and the audit row keeps it whole", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    const { message, row } = await ask(serviceFor(IDS), "requests last hour");
    const trace = message.trace?.requests ?? [];
    expect(trace).toEqual(
      IDS.map(
        (_, i) =>
          `metrics:getBatch ${FLEET_REGION} (6 accounts) aoai-${String(i + 1)} AzureOpenAIRequests Total PT1M 2026-11-29T08:00:00Z/2026-11-29T10:00:00Z (one request for baseline 2026-11-29T08:00:00Z/2026-11-29T09:00:00Z + window 2026-11-29T09:00:00Z/2026-11-29T10:00:00Z + window 2026-11-29T09:45:00Z/2026-11-29T10:00:00Z)`,
      ),
    );
    expect(row.requests).toEqual(trace);
    // one merged request per account, all six in one call
    expect(fake.batchRequests()).toHaveLength(1);
  });

  it("after a 403 from metrics:getBatch, names each account's Metrics - List call and why, everywhere the batch call was named; the figures are the same", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: false });
    const { message, row } = await ask(serviceFor(IDS), ASKED);
    // window and baseline asked in the same turn: both batch calls refused, then one Metrics - List per account and request
    expect(fake.batchRequests()).toHaveLength(2);
    expect(fake.requests.filter(isDataRequest)).toHaveLength(2 * IDS.length);

    const trace = message.trace?.requests ?? [];
    expect(trace).toHaveLength(2 * IDS.length);
    for (const [k, line] of trace.entries()) {
      expect(line).toMatch(new RegExp(`^metrics aoai-${String(Math.floor(k / 2) + 1)} AzureOpenAIRequests `));
      expect(line).toMatch(/\(Metrics - List: metrics:getBatch was refused: no Monitoring Reader on the subscription/);
      expect(line).not.toMatch(/^metrics:getBatch/);
    }
    expect(row.requests).toEqual(trace);
    const text = renderText(message);
    expect(text.match(/sent as Metrics - List: metrics:getBatch was refused/g)).toHaveLength(IDS.length);
    expect(text).not.toMatch(/sent as metrics:getBatch/);

    // the figures the batch gives, each account its own (account i reports i times the first's)
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    const { message: batched } = await ask(serviceFor(IDS), ASKED);
    const values = message.figures?.map((f) => f.value) ?? [];
    expect(batched.figures?.map((f) => f.value)).toEqual(values);
    expect(values.map((v) => (v ?? 0) / (values[0] ?? 1))).toEqual(IDS.map((_, i) => i + 1));
  });

  it("--json of a refused batch: each request sent as Metrics - List with the reason, and the refusal remembered: the next answer goes straight to Metrics - List", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: false });
    const service = serviceFor(IDS);
    const first = answerJson(await service.answer(requests, NOW)) as { requests: MetricsRequest[] };
    expect(first.requests.length).toBeGreaterThanOrEqual(IDS.length);
    expect(first.requests.map((r) => r.sentAs?.call)).toEqual(first.requests.map(() => "Metrics - List"));
    expect(first.requests.every((r) => r.sentAs?.api === "metrics" && r.sentAs.because.includes("Microsoft.Insights/metrics/read"))).toBe(true);

    fake.requests.length = 0;
    const again = answerJson(await service.answer({ ...requests, window: { ...HOUR, start: "2026-11-28T11:00:00Z" } }, NOW)) as { requests: MetricsRequest[] };
    expect(fake.batchRequests()).toHaveLength(0);
    expect(again.requests.every((r) => r.sentAs?.api === "metrics" && r.sentAs.because.startsWith("metrics:getBatch was refused"))).toBe(true);
  });
});

describe("accounts without resources[].region", () => {
  it("the first answer names Metrics - List because the region is not known yet; once Azure named it, the next answer names the batch call", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    const service = serviceFor(IDS, true, false);
    const first = (await ask(service, ASKED)).message.trace?.requests ?? [];
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((l) => l.startsWith("metrics aoai-") && l.endsWith("(Metrics - List: its account's region is not known yet (resources[].region, or learnt from this answer))"))).toBe(true);
    expect(fake.batchRequests()).toHaveLength(0);

    const next = (await ask(service, "requests last hour")).message.trace?.requests ?? [];
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((l) => l.startsWith(`metrics:getBatch ${FLEET_REGION} (6 accounts) aoai-`))).toBe(true);
    expect(fake.batchRequests()).toHaveLength(1);
  });
});

describe("aoai ask --plan of several accounts", () => {
  it("says each request may go as one metrics:getBatch call for the accounts, sends nothing, and the answer then says how it went", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    const service = serviceFor(IDS);
    const plan = await service.plan(requests, NOW);
    fake.requests.length = 0;
    const json = planJson(plan, (reqs) => service.mayBeSentAs(reqs, plan.resources.length)) as { requests: (MetricsRequest & { mayBeSentAs?: SentAs })[] };
    expect(fake.requests).toHaveLength(0);
    expect(json.requests.length).toBeGreaterThanOrEqual(IDS.length);
    expect(json.requests.map((r) => r.mayBeSentAs)).toEqual(json.requests.map(() => BATCH));
    // never as fact: that is the answer's `sentAs`
    expect(json.requests.some((r) => r.sentAs !== undefined)).toBe(false);

    const answered = await service.run(plan);
    expect(answered.requests.map(accountOf)).toEqual(json.requests.map(accountOf));
    expect(answered.requests.map((r) => r.sentAs)).toEqual(json.requests.map((r) => r.mayBeSentAs));
  });

  it("says nothing of a batch for one account, or without the batch API: those go as Metrics - List", async () => {
    fake.handler = batchRoute(fleetMetrics(), { subscriptionAccess: true });
    for (const service of [serviceFor(IDS.slice(0, 1)), serviceFor(IDS, false)]) {
      const plan = await service.plan(requests, NOW);
      const json = planJson(plan, (reqs) => service.mayBeSentAs(reqs, plan.resources.length)) as { requests: Record<string, unknown>[] };
      expect(json.requests.length).toBeGreaterThan(0);
      expect(json.requests.some((r) => "mayBeSentAs" in r)).toBe(false);
      const answered = await service.run(plan);
      expect(answered.requests.some((r) => r.sentAs !== undefined)).toBe(false);
    }
    expect(fake.batchRequests()).toHaveLength(0);
  });
});
