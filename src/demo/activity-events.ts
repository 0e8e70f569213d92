// The demo account's activity log: a few administrative events a day, in the EventData shape that
// Activity Logs - List returns (api-version 2015-04-01). Like the metrics, an event depends only
// on its day (and the seed), never on when it is asked for; it can be read once it was submitted.
//   every day   10:02 UTC  alice@contoso.com raises gpt-4o's capacity during its latency spike
//               19:00 UTC  a scheduler app puts it back (deployment-limits.ts holds both changes)
//   some days   08:4x UTC  bob@contoso.com regenerates Key2
//   Mondays     09:1x UTC  carol@contoso.com rewrites the diagnostic setting
//   Wednesdays  16:2x UTC  dave@contoso.com changes the network rules
//   Tue, Thu    14:0x UTC  dave@contoso.com tries to raise gpt-4o-mini's capacity while it is throttled; quota refuses
// Every operation logs a "Started" event and, seconds later, its outcome, as Azure does.
import { ArmError, badRequest } from "./arm-error.ts";
import { demoGuid } from "./demo-guid.ts";
import { CAPACITY_CHANGES, CAPACITY_SCHEDULER_ID, DEPLOYMENT_PLANS } from "./deployment-limits.ts";
import { DEMO_DEPLOYMENTS, DEMO_HISTORY_DAYS, DEMO_RESOURCE_GROUP, DEMO_RESOURCE_ID, DEMO_SUBSCRIPTION_ID } from "./demo-resource.ts";
import { DEMO_DIAGNOSTIC_SETTING } from "./diagnostic-settings.ts";
import { hashKey, hashString } from "./seeded-random.ts";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
export const DEMO_TENANT_ID = "5a7d1c3e-0000-4000-8000-00000000c0de";
/** Azure makes an event queryable a minute or two after it happened. */
const SUBMISSION_DELAY_MS = 95_000;
/** Activity Logs - List refuses longer ranges. */
const MAX_RANGE_DAYS = 90;
const STAGE_ACTIVITY = 30;

type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

interface Operation {
  readonly operation: string;
  readonly label: string;
  readonly method: "PUT" | "POST";
  readonly resourceType: string;
  readonly providerLabel: string;
}

const OPERATIONS = {
  deploymentWrite: { operation: "Microsoft.CognitiveServices/accounts/deployments/write", label: "Create or update deployment", method: "PUT", resourceType: "Microsoft.CognitiveServices/accounts/deployments", providerLabel: "Microsoft Cognitive Services" },
  regenerateKey: { operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", label: "Regenerate Key", method: "POST", resourceType: "Microsoft.CognitiveServices/accounts", providerLabel: "Microsoft Cognitive Services" },
  accountWrite: { operation: "Microsoft.CognitiveServices/accounts/write", label: "Create or update account", method: "PUT", resourceType: "Microsoft.CognitiveServices/accounts", providerLabel: "Microsoft Cognitive Services" },
  diagnosticSettingWrite: { operation: "Microsoft.Insights/diagnosticSettings/write", label: "Create or update resource diagnostic setting", method: "PUT", resourceType: "Microsoft.Insights/diagnosticSettings", providerLabel: "Microsoft Insights" },
} as const satisfies Record<string, Operation>;

/** One administrative operation on one day: its Started event and its outcome. */
interface PlannedOperation {
  readonly kind: keyof typeof OPERATIONS;
  readonly atMs: number;
  readonly resourceId: string;
  readonly caller: string;
  readonly requestBody: Readonly<Record<string, unknown>>;
  /** Seconds from Started to the outcome. */
  readonly takesSeconds: number;
  readonly failure?: { readonly code: string; readonly message: string };
}

function deploymentId(name: string): string {
  return `${DEMO_RESOURCE_ID}/deployments/${name}`;
}

function deploymentBody(name: string, capacity: number): Record<string, unknown> {
  const d = DEMO_DEPLOYMENTS.find((x) => x.name === name);
  return { sku: { name: d?.sku ?? "Standard", capacity }, properties: { model: { format: "OpenAI", name: d?.model ?? name, version: d?.version ?? "" } } };
}

/** A minute offset within [0, spread) that stays the same for that day and stage. */
function jitter(seed: number, day: number, stage: number, spread: number): number {
  return hashKey(seed, day, STAGE_ACTIVITY, stage) % spread;
}

function weekday(day: number): Weekday {
  // 1970-01-01 was a Thursday.
  return ((day + 4) % 7) as Weekday;
}

/** The operations of one UTC day (day = days since the epoch). */
function dayOperations(seed: number, day: number): PlannedOperation[] {
  const base = day * DAY_MS;
  const ops: PlannedOperation[] = CAPACITY_CHANGES.map((c) => ({
    kind: "deploymentWrite",
    atMs: base + c.utcSecondOfDay * 1000,
    resourceId: deploymentId(c.deployment),
    caller: c.caller,
    requestBody: deploymentBody(c.deployment, c.to),
    takesSeconds: 24,
  }));
  if (jitter(seed, day, 1, 3) === 0) {
    ops.push({ kind: "regenerateKey", atMs: base + (8 * 60 + 40 + jitter(seed, day, 2, 15)) * MINUTE_MS + 7_000, resourceId: DEMO_RESOURCE_ID, caller: "bob@contoso.com", requestBody: { keyName: "Key2" }, takesSeconds: 2 });
  }
  const wd = weekday(day);
  if (wd === 1) {
    ops.push({
      kind: "diagnosticSettingWrite",
      atMs: base + (9 * 60 + 10 + jitter(seed, day, 3, 10)) * MINUTE_MS + 31_000,
      resourceId: `${DEMO_RESOURCE_ID}/providers/microsoft.insights/diagnosticSettings/${DEMO_DIAGNOSTIC_SETTING}`,
      caller: "carol@contoso.com",
      requestBody: { properties: { logs: ["Audit", "RequestResponse", "Trace"].map((category) => ({ category, enabled: true })), metrics: [{ category: "AllMetrics", enabled: true }] } },
      takesSeconds: 3,
    });
  }
  if (wd === 3) {
    ops.push({
      kind: "accountWrite",
      atMs: base + (16 * 60 + 20 + jitter(seed, day, 4, 10)) * MINUTE_MS + 12_000,
      resourceId: DEMO_RESOURCE_ID,
      caller: "dave@contoso.com",
      requestBody: { properties: { networkAcls: { defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.14" }], virtualNetworkRules: [] } } },
      takesSeconds: 18,
    });
  }
  if (wd === 2 || wd === 4) {
    const mini = DEPLOYMENT_PLANS.find((p) => p.deployment === "gpt-4o-mini")?.capacity ?? 0;
    ops.push({
      kind: "deploymentWrite",
      atMs: base + (14 * 60 + jitter(seed, day, 5, 9)) * MINUTE_MS + 45_000,
      resourceId: deploymentId("gpt-4o-mini"),
      caller: "dave@contoso.com",
      requestBody: deploymentBody("gpt-4o-mini", mini + 300),
      takesSeconds: 1,
      failure: {
        code: "InsufficientQuota",
        message: `This operation require 300 new capacity in quota Tokens Per Minute (thousands) - gpt-4o-mini - Standard, which is bigger than the current available capacity 100. The current quota usage is ${String(mini)} and the quota limit is ${String(mini + 100)} for quota Tokens Per Minute (thousands) - gpt-4o-mini - Standard.`,
      },
    });
  }
  return ops;
}

function localizable(value: string, localizedValue: string = value): { value: string; localizedValue: string } {
  return { value, localizedValue };
}

/** .NET ticks, as in EventData ids. */
function ticks(ms: number): string {
  return (BigInt(ms) * 10_000n + 621_355_968_000_000_000n).toString();
}

function wireEvents(seed: number, op: PlannedOperation): Record<string, unknown>[] {
  const o = OPERATIONS[op.kind];
  const key = hashString(op.resourceId + op.kind);
  const correlationId = demoGuid(seed, key, op.atMs / 1000, 1);
  const operationId = demoGuid(seed, key, op.atMs / 1000, 2);
  const clientRequestId = demoGuid(seed, key, op.atMs / 1000, 3);
  const user = op.caller !== CAPACITY_SCHEDULER_ID;
  const claims: Record<string, string> = user
    ? { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": op.caller, name: op.caller.split("@")[0] ?? op.caller, appid: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", ipaddr: "203.0.113.24" }
    : { appid: op.caller, "http://schemas.microsoft.com/identity/claims/objectidentifier": op.caller, ipaddr: "20.91.4.18" };
  const common = {
    authorization: { action: o.operation, scope: op.resourceId },
    caller: op.caller,
    channels: "Operation",
    claims,
    correlationId,
    description: "",
    category: localizable("Administrative"),
    httpRequest: { clientRequestId, clientIpAddress: claims.ipaddr ?? "", method: o.method },
    resourceGroupName: DEMO_RESOURCE_GROUP,
    resourceProviderName: localizable(o.resourceType.split("/")[0] ?? "", o.providerLabel),
    resourceId: op.resourceId,
    resourceType: localizable(o.resourceType),
    operationId,
    operationName: localizable(o.operation, o.label),
    subscriptionId: DEMO_SUBSCRIPTION_ID,
    tenantId: DEMO_TENANT_ID,
  };
  const endMs = op.atMs + op.takesSeconds * 1000;
  const event = (phase: number, atMs: number, rest: Record<string, unknown>): Record<string, unknown> => {
    const eventDataId = demoGuid(seed, key, op.atMs / 1000, 10 + phase);
    return {
      ...common,
      eventDataId,
      id: `${op.resourceId}/events/${eventDataId}/ticks/${ticks(atMs)}`,
      eventTimestamp: new Date(atMs).toISOString(),
      submissionTimestamp: new Date(atMs + SUBMISSION_DELAY_MS).toISOString(),
      ...rest,
    };
  };
  const base = { eventCategory: "Administrative", entity: op.resourceId, message: o.operation, hierarchy: `${DEMO_TENANT_ID}/${DEMO_SUBSCRIPTION_ID}` };
  const started = event(0, op.atMs, {
    eventName: localizable("BeginRequest", "Begin request"),
    level: "Informational",
    status: localizable("Started"),
    subStatus: localizable(""),
    properties: { ...base, requestbody: JSON.stringify(op.requestBody) },
  });
  const outcome = op.failure
    ? event(1, endMs, {
        eventName: localizable("EndRequest", "End request"),
        level: "Error",
        status: localizable("Failed"),
        subStatus: localizable("BadRequest", "Bad Request (HTTP Status Code: 400)"),
        properties: { ...base, statusCode: "BadRequest", statusMessage: JSON.stringify({ error: op.failure }) },
      })
    : event(1, endMs, {
        eventName: localizable("EndRequest", "End request"),
        level: "Informational",
        status: localizable("Succeeded"),
        subStatus: localizable("OK", "OK (HTTP Status Code: 200)"),
        // A PUT answers with the resource as written.
        properties: { ...base, statusCode: "OK", ...(o.method === "PUT" ? { responseBody: JSON.stringify({ id: op.resourceId, ...op.requestBody }) } : {}) },
      });
  return [started, outcome];
}

export interface ActivityFilter {
  readonly start: number;
  readonly end: number;
  readonly resourceUri?: string;
  readonly resourceGroupName?: string;
  readonly resourceProvider?: string;
  readonly correlationId?: string;
  readonly status?: string;
}

/**
 * Events with start ≤ eventTimestamp ≤ end that were submitted by `nowMs`, newest first as the
 * service returns them. resourceUri matches the resource and what lives under it (its
 * deployments, its diagnostic settings), which is how a resource's activity is read.
 */
export function activityEvents(seed: number, filter: ActivityFilter, nowMs: number): Record<string, unknown>[] {
  const historyStart = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - DEMO_HISTORY_DAYS * DAY_MS;
  const from = Math.max(filter.start, historyStart);
  const out: Record<string, unknown>[] = [];
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS <= filter.end; day++) {
    for (const op of dayOperations(seed, day)) {
      for (const e of wireEvents(seed, op)) {
        const at = Date.parse(String(e.eventTimestamp));
        if (at < from || at > filter.end || at + SUBMISSION_DELAY_MS > nowMs) continue;
        if (matches(e, filter)) out.push(e);
      }
    }
  }
  return out.sort((a, b) => String(b.eventTimestamp).localeCompare(String(a.eventTimestamp)));
}

function matches(e: Record<string, unknown>, f: ActivityFilter): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const resourceId = String(e.resourceId);
  if (f.resourceUri !== undefined && !same(resourceId, f.resourceUri) && !resourceId.toLowerCase().startsWith(`${f.resourceUri.toLowerCase()}/`)) return false;
  if (f.resourceGroupName !== undefined && !same(DEMO_RESOURCE_GROUP, f.resourceGroupName)) return false;
  const provider = (e.resourceProviderName as { value: string }).value;
  if (f.resourceProvider !== undefined && !same(provider, f.resourceProvider)) return false;
  if (f.correlationId !== undefined && !same(String(e.correlationId), f.correlationId)) return false;
  if (f.status !== undefined && !same((e.status as { value: string }).value, f.status)) return false;
  return true;
}

const CLAUSE = /^\s*(\w+)\s+(eq|ge|gt|le|lt)\s+'([^']*)'\s*$/i;

/**
 * Parses the service's $filter: `eventTimestamp ge '…' and eventTimestamp le '…'` plus at most one
 * of resourceUri / resourceGroupName / resourceProvider / correlationId (and optionally status).
 */
export function parseActivityFilter(raw: string | undefined, nowMs: number): ActivityFilter {
  if (raw === undefined || raw.trim() === "") throw badRequest("The $filter query parameter is required: it must give the time range, e.g. eventTimestamp ge '2026-01-01T00:00:00Z' and eventTimestamp le '2026-01-02T00:00:00Z'.");
  let start: number | undefined;
  let end: number | undefined;
  const f: { -readonly [K in keyof ActivityFilter]?: ActivityFilter[K] } = {};
  for (const part of raw.split(/\s+and\s+/i)) {
    const m = CLAUSE.exec(part);
    const field = m?.[1]?.toLowerCase();
    const op = m?.[2]?.toLowerCase();
    const value = m?.[3] ?? "";
    if (field === undefined || op === undefined) throw badRequest(`The $filter '${raw}' is not valid: '${part.trim()}' is not a supported clause.`);
    if (field === "eventtimestamp") {
      const t = Date.parse(value);
      if (Number.isNaN(t)) throw badRequest(`The $filter '${raw}' is not valid: '${value}' is not a date.`);
      if (op === "ge" || op === "gt") start = op === "gt" ? t + 1 : t;
      else if (op === "le" || op === "lt") end = op === "lt" ? t - 1 : t;
      else throw badRequest(`The $filter '${raw}' is not valid: eventTimestamp takes ge, gt, le or lt.`);
      continue;
    }
    if (op !== "eq") throw badRequest(`The $filter '${raw}' is not valid: ${m?.[1] ?? field} takes only eq.`);
    if (field === "resourceuri" || field === "resourceid") f.resourceUri = value.replace(/\/+$/, "");
    else if (field === "resourcegroupname") f.resourceGroupName = value;
    else if (field === "resourceprovider") f.resourceProvider = value;
    else if (field === "correlationid") f.correlationId = value;
    else if (field === "status") f.status = value;
    else if (field === "eventchannels" || field === "channels") continue;
    else throw badRequest(`The $filter '${raw}' is not valid: '${m?.[1] ?? field}' is not a field the activity log can be filtered by.`);
  }
  if (start === undefined) throw badRequest(`The $filter '${raw}' is not valid: it must contain an eventTimestamp ge clause.`);
  const until = end ?? nowMs;
  if (until < start) throw badRequest(`The $filter '${raw}' is not valid: the end time is before the start time.`);
  if (until - start > MAX_RANGE_DAYS * DAY_MS) throw badRequest(`The $filter '${raw}' is not valid: the time range can't be more than ${String(MAX_RANGE_DAYS)} days.`);
  return { ...f, start, end: until };
}

/** Keeps only the fields named in $select, as the service does. */
function select(events: Record<string, unknown>[], raw: string | undefined): Record<string, unknown>[] {
  const fields = (raw ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (fields.length === 0) return events;
  const wanted = new Set(fields.map((s) => s.toLowerCase()));
  return events.map((e) => Object.fromEntries(Object.entries(e).filter(([k]) => wanted.has(k.toLowerCase()))));
}

/** Activity Logs - List: `GET /subscriptions/{id}/providers/Microsoft.Insights/eventtypes/management/values`. */
export function activityLogList(seed: number, subscriptionId: string, params: ReadonlyMap<string, string>, nowMs: number): { value: Record<string, unknown>[] } {
  if (subscriptionId.toLowerCase() !== DEMO_SUBSCRIPTION_ID) {
    throw new ArmError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found. The demo knows only ${DEMO_SUBSCRIPTION_ID}.`);
  }
  const filter = parseActivityFilter(params.get("$filter"), nowMs);
  return { value: select(activityEvents(seed, filter, nowMs), params.get("$select")) };
}
