// A throttling incident as raw per-minute data the tests define, and a Metrics - List reply built
// from it the way Azure Monitor builds one (split by `eq '*'`, filtered by `eq 'v'`, summed into
// the asked grain, newest minutes not ingested yet). Tests compute expected figures from `minute()`
// directly, never with the bot's own aggregation.
import type { FakeReply, RecordedRequest } from "../fakes/azure-monitor.ts";

export const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
/** Tuesday 1 December 2026, 14:30 UTC: gpt-4o-mini is being throttled since 13:30. */
export const NOW = new Date("2026-12-01T14:30:00Z");
/** Metrics for 14:28 and 14:29 have not arrived yet. */
export const DATA_END = new Date("2026-12-01T14:28:00Z");
export const INCIDENT_START = new Date("2026-12-01T13:30:00Z");
export const DEPLOYMENTS = ["gpt-4o", "gpt-4o-mini"] as const;
export const CODES = ["200", "400", "429", "500", "503"] as const;

export interface Cell {
  readonly calls: number;
  /** Average time to response of these calls, ms. */
  readonly ms: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Calls and latency of one deployment and status code in the minute starting at `t` (ms). */
export function minute(deployment: string, code: string, t: number): Cell {
  const m = Math.floor(t / MINUTE);
  const wobble = (m * 7919) % 13; // deterministic, different every minute
  const yesterday = t < NOW.getTime() - DAY / 2;
  const incident = t >= INCIDENT_START.getTime() && t < NOW.getTime();
  if (deployment === "gpt-4o-mini") {
    switch (code) {
      case "200": return { calls: 300 + wobble, ms: 1300 + wobble };
      case "400": return { calls: m % 4 === 0 ? 2 : 0, ms: 40 };
      case "429": return { calls: incident ? 200 + wobble : m % 10 === 0 ? 1 : 0, ms: 12 };
      case "500": return { calls: m % 3 === 0 ? 1 : 0, ms: 800 };
      default: return { calls: 0, ms: 0 };
    }
  }
  switch (code) {
    case "200": return { calls: 100 + (wobble % 5), ms: (yesterday ? 1900 : 2000) + wobble };
    case "500": return { calls: m % 5 === 0 ? 1 : 0, ms: 900 };
    case "503": return { calls: m % 7 === 0 ? 1 : 0, ms: 5 };
    default: return { calls: 0, ms: 0 };
  }
}

/** Tokens of a deployment in a minute: 500 per successful call, and one spike minute. */
export const SPIKE = new Date("2026-12-01T13:47:00Z");
export function tokens(deployment: string, t: number): number {
  return minute(deployment, "200", t).calls * 500 + (t === SPIKE.getTime() && deployment === "gpt-4o" ? 400_000 : 0);
}

/** Sums `f` over every minute in [start, end) that has arrived. */
export function sumMinutes(start: Date, end: Date, f: (t: number) => number): number {
  let s = 0;
  for (let t = start.getTime(); t < Math.min(end.getTime(), DATA_END.getTime()); t += MINUTE) s += f(t);
  return s;
}

const GRAIN_MINUTES: Readonly<Record<string, number>> = { PT1M: 1, PT5M: 5, PT15M: 15, PT30M: 30, PT1H: 60, PT6H: 360, PT12H: 720, P1D: 1440 };

/** Dimension clauses of a `$filter`: `Dim eq '*'` splits, `Dim eq 'v'` (or-ed) filters. */
function clauses(filter: string | undefined): Map<string, string[] | "*"> {
  const out = new Map<string, string[] | "*">();
  for (const m of (filter ?? "").matchAll(/(\w+) eq '([^']*)'/g)) {
    const [dim, value] = [m[1]!, m[2]!];
    if (value === "*") out.set(dim, "*");
    else out.set(dim, [...((out.get(dim) as string[] | undefined) ?? []), value]);
  }
  return out;
}

interface CellKey { readonly deployment: string; readonly code: string }

function metricEntry(name: string, req: RecordedRequest) {
  const [from, to] = (req.query.timespan ?? "").split("/").map((s) => Date.parse(s));
  const start = from!;
  const end = to!;
  const grain = req.query.interval === "FULL" ? Math.ceil((end - start) / MINUTE) : (GRAIN_MINUTES[req.query.interval ?? "PT1M"] ?? 1);
  const c = clauses(req.query.$filter);
  const hasStatus = name !== "TokenTransaction";
  const keep = (k: CellKey) => [["ModelDeploymentName", k.deployment], ["StatusCode", k.code]].every(([dim, v]) => {
    const want = c.get(dim!);
    return want === undefined || want === "*" || want.some((w) => w.toLowerCase() === v!.toLowerCase());
  });
  const splitDims = [...c.entries()].filter(([d, v]) => v === "*" && (hasStatus || d !== "StatusCode")).map(([d]) => d);
  const cells: CellKey[] = DEPLOYMENTS.flatMap((deployment) => (hasStatus ? CODES.map((code) => ({ deployment, code })) : [{ deployment, code: "" }])).filter(keep);
  const groups = new Map<string, CellKey[]>();
  for (const k of cells) {
    const key = splitDims.map((d) => (d === "ModelDeploymentName" ? k.deployment : k.code)).join("|");
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  const timeseries = [...groups.entries()].flatMap(([key, ks]) => {
    const data: Record<string, number | string>[] = [];
    let any = false;
    for (let b = start; b < end && b < DATA_END.getTime(); b += grain * MINUTE) {
      let calls = 0;
      let weighted = 0;
      let max = -Infinity;
      let min = Infinity;
      for (let t = b; t < Math.min(b + grain * MINUTE, end, DATA_END.getTime()); t += MINUTE) {
        for (const k of ks) {
          if (!hasStatus) {
            calls += tokens(k.deployment, t);
            continue;
          }
          const cell = minute(k.deployment, k.code, t);
          calls += cell.calls;
          weighted += cell.calls * cell.ms;
          if (cell.calls > 0) {
            max = Math.max(max, cell.ms);
            min = Math.min(min, cell.ms);
          }
        }
      }
      if (calls > 0) any = true;
      const stamp = new Date(b).toISOString().replace(".000Z", "Z");
      data.push(name === "AzureOpenAITimeToResponse" ? (calls > 0 ? { timeStamp: stamp, average: weighted / calls, count: calls, maximum: max, minimum: min } : { timeStamp: stamp, count: 0 }) : { timeStamp: stamp, total: calls });
    }
    if (!any) return [];
    const dims = key === "" ? [] : key.split("|");
    return [{ metadatavalues: splitDims.map((d, i) => ({ name: { value: d.toLowerCase(), localizedValue: d }, value: dims[i] ?? "" })), data }];
  });
  return { id: `${AOAI}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: name === "AzureOpenAITimeToResponse" ? "MilliSeconds" : "Count", errorCode: "Success", timeseries };
}

const SERVED = new Set(["AzureOpenAIRequests", "AzureOpenAITimeToResponse", "TokenTransaction"]);

/** The fake's handler: deployment lookups, and every Metrics - List from the data above. */
export function incidentReply(req: RecordedRequest): FakeReply {
  if (req.query.resultType === "Metadata") {
    return { status: 200, body: { timespan: req.query.timespan ?? "", value: [{ name: { value: "AzureOpenAIRequests", localizedValue: "AzureOpenAIRequests" }, unit: "Count", errorCode: "Success", timeseries: DEPLOYMENTS.map((d) => ({ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: d }], data: [] })) }] } };
  }
  const names = (req.query.metricnames ?? "").split(",");
  return { status: 200, body: { timespan: req.query.timespan, interval: req.query.interval, value: names.map((n) => (SERVED.has(n) ? metricEntry(n, req) : { name: { value: n, localizedValue: n }, unit: "Count", errorCode: "Success", timeseries: [] })) } };
}
