// Which dimension combinations ("cells") each catalog metric has per deployment, and how a
// simulated minute turns into one sample per cell. All metrics read the same MinuteTraffic, so
// e.g. TokenTransaction is exactly ProcessedPromptTokens + GeneratedTokens and BlockedCalls are the 429s.
import type { Dimension } from "../queries/catalog.ts";
import { DEMO_ACCOUNT_NAME, DEMO_DEPLOYMENTS, DEMO_REGION, isProvisioned, type DemoDeployment } from "./demo-resource.ts";
import { spilloverSources } from "./deployment-limits.ts";
import { FIRST_BLOCKED_SEVERITY, HARM_CATEGORIES, LATENCY_SLOT, SEVERITIES, STATUS_CODES, STREAM_TYPES, TEXT_TYPES, TOKEN_SLOT, type MinuteTraffic } from "./minute-traffic.ts";
import { trafficProfile } from "./traffic-profiles.ts";

export type CellDimensions = Readonly<Partial<Record<Dimension, string>>>;

/** A sample is four numbers at out[4 × cell]: count, sum, min, max. A count of 0 means "no sample". */
export const SAMPLE_WIDTH = 4;

/** Empties sample accumulators: no count, no sum, extremes that any sample replaces. */
export function clearSamples(out: Float64Array): void {
  for (let o = 0; o < out.length; o += SAMPLE_WIDTH) {
    out[o] = 0;
    out[o + 1] = 0;
    out[o + 2] = Infinity;
    out[o + 3] = -Infinity;
  }
}

export interface MetricModel {
  cells(d: DemoDeployment): readonly CellDimensions[];
  /**
   * Merges the minute's sample of each cell, in the order of cells(t.deployment), into accumulators
   * (see clearSamples): merging in place lets an hour be summed without a copy per minute.
   */
  sample(t: MinuteTraffic, out: Float64Array): void;
}

const API_NAME = "Azure OpenAI API version 2024-10-21";
const S200 = 0;
const S400 = 1;
const S429 = 2;
const S500 = 3;
const S503 = 4;

function operation(d: DemoDeployment): string {
  return d.kind === "chat" ? "ChatCompletions_Create" : "Embeddings_Create";
}

const CHAT_STREAMS: readonly number[] = [0, 1];
/** Embeddings never stream. */
const EMBEDDING_STREAMS: readonly number[] = [1];

function streams(d: DemoDeployment): readonly number[] {
  return d.kind === "chat" ? CHAT_STREAMS : EMBEDDING_STREAMS;
}

function model(d: DemoDeployment): CellDimensions {
  return { Region: DEMO_REGION, ModelDeploymentName: d.name, ModelName: d.model, ModelVersion: d.version };
}

function http(d: DemoDeployment, stream: number): CellDimensions {
  return { ...model(d), ApiName: API_NAME, OperationName: operation(d), StreamType: STREAM_TYPES[stream] ?? "" };
}

function put(out: Float64Array, cell: number, count: number, sum: number, min: number, max: number): void {
  if (count <= 0) return;
  const o = cell * SAMPLE_WIDTH;
  out[o] = (out[o] ?? 0) + count;
  out[o + 1] = (out[o + 1] ?? 0) + sum;
  if (min < (out[o + 2] ?? Infinity)) out[o + 2] = min;
  if (max > (out[o + 3] ?? -Infinity)) out[o + 3] = max;
}

/** From a (mean, min, max) triple; a NaN mean means nothing was measured. */
function putSpread(out: Float64Array, cell: number, count: number, values: Float64Array, slot: number): void {
  const mean = values[slot * 3] ?? Number.NaN;
  if (!Number.isNaN(mean)) put(out, cell, count, mean * count, values[slot * 3 + 1] ?? mean, values[slot * 3 + 2] ?? mean);
}

/** From a (sum, min, max) triple; a NaN sum means no tokens. */
function putTally(out: Float64Array, cell: number, count: number, values: Float64Array, slot: number): void {
  const sum = values[slot * 3] ?? Number.NaN;
  if (!Number.isNaN(sum)) put(out, cell, count, sum, values[slot * 3 + 1] ?? sum, values[slot * 3 + 2] ?? sum);
}

/** Every request counts as one sample of value 1, which is how Azure reports count metrics. */
function putCount(out: Float64Array, cell: number, n: number): void {
  put(out, cell, n, n, 1, 1);
}

function total(t: MinuteTraffic, statuses: readonly number[]): number {
  let n = 0;
  for (const s of streams(t.deployment)) for (const st of statuses) n += t.count(s, st);
  return n;
}

const ALL_STATUSES = [S200, S400, S429, S500, S503];

const SPILLOVER_TARGETS = new Set(DEMO_DEPLOYMENTS.filter((d) => spilloverSources(d.name).length > 0).map((d) => d.name));
const OWN_ONLY: readonly string[] = ["false"];
const OWN_AND_SPILLED: readonly string[] = ["false", "true"];

/** IsSpillover values a deployment's requests carry: "true" only where another deployment spills (deployment-limits.ts). */
function spilloverValues(d: DemoDeployment): readonly string[] {
  return SPILLOVER_TARGETS.has(d.name) ? OWN_AND_SPILLED : OWN_ONLY;
}

const requestsByStatus: MetricModel = {
  cells: (d) =>
    streams(d).flatMap((s) =>
      STATUS_CODES.flatMap((code) =>
        spilloverValues(d).map((spilled) => ({ ...http(d, s), StatusCode: code, IsSpillover: spilled, ServiceTierRequest: "default", ServiceTierResponse: "default" })),
      ),
    ),
  sample: (t, out) => {
    const split = spilloverValues(t.deployment).length > 1;
    let cell = 0;
    for (const s of streams(t.deployment)) {
      for (let st = 0; st < STATUS_CODES.length; st++) {
        const spilled = split ? t.spilledInto(s, st) : 0;
        putCount(out, cell++, t.count(s, st) - spilled);
        if (split) putCount(out, cell++, spilled);
      }
    }
  },
};

const availability: MetricModel = {
  cells: (d) => streams(d).map((s) => http(d, s)),
  sample: (t, out) => {
    let cell = 0;
    for (const s of streams(t.deployment)) {
      let n = 0;
      for (const st of ALL_STATUSES) n += t.count(s, st);
      const failed = t.count(s, S500) + t.count(s, S503);
      const rate = n === 0 ? 0 : (100 * (n - failed)) / n;
      // Weighted by requests, so merged cells give the account's true availability.
      put(out, cell++, n, rate * n, rate, rate);
    }
  },
};

const timeToResponse: MetricModel = {
  cells: (d) => streams(d).flatMap((s) => STATUS_CODES.map((code) => ({ ...http(d, s), StatusCode: code }))),
  sample: (t, out) => {
    const latencies = t.latencies;
    let cell = 0;
    for (const s of streams(t.deployment)) {
      for (let st = 0; st < STATUS_CODES.length; st++) putSpread(out, cell++, t.count(s, st), latencies, s * STATUS_CODES.length + st);
    }
  },
};

/** Generation metrics exist only where tokens are generated. */
function generation(slot: number): MetricModel {
  return {
    cells: (d) => (d.kind === "chat" ? [model(d)] : []),
    sample: (t, out) => {
      if (t.deployment.kind === "chat") putSpread(out, 0, t.succeeded, t.latencies, slot);
    },
  };
}

function usage(d: DemoDeployment): CellDimensions {
  return { ApiName: API_NAME, ModelDeploymentName: d.name, FeatureName: "Inference", UsageChannel: "API", Region: DEMO_REGION, ModelVersion: d.version };
}

function tokens(slot: number, has: (d: DemoDeployment) => boolean = () => true): MetricModel {
  return {
    cells: (d) => (has(d) ? [usage(d)] : []),
    sample: (t, out) => {
      if (has(t.deployment)) putTally(out, 0, t.succeeded, t.tokenTallies, slot);
    },
  };
}

const tokenTransaction: MetricModel = {
  cells: (d) => [usage(d)],
  sample: (t, out) => {
    const v = t.tokenTallies;
    const p = TOKEN_SLOT.prompt * 3;
    const c = TOKEN_SLOT.completion * 3;
    const prompt = v[p] ?? Number.NaN;
    if (Number.isNaN(prompt)) return;
    const completion = v[c] ?? Number.NaN;
    if (Number.isNaN(completion)) {
      put(out, 0, t.succeeded, prompt, v[p + 1] ?? prompt, v[p + 2] ?? prompt);
      return;
    }
    put(out, 0, t.succeeded, prompt + completion, (v[p + 1] ?? 0) + (v[c + 1] ?? 0), (v[p + 2] ?? 0) + (v[c + 2] ?? 0));
  },
};

/** Provisioned metrics: one sample per stream type per minute, present even when idle. */
function utilisationModel(): MetricModel {
  return {
    cells: (d) => (isProvisioned(d) ? STREAM_TYPES.map((_, s) => ({ ...model(d), StreamType: STREAM_TYPES[s] ?? "" })) : []),
    sample: (t, out) => {
      const u = t.utilisation;
      if (u === undefined) return;
      for (let s = 0; s < STREAM_TYPES.length; s++) put(out, s, 1, u, u, u);
    },
  };
}

const activeTokens: MetricModel = {
  cells: (d) => (isProvisioned(d) ? [model(d)] : []),
  sample: (t, out) => {
    if (isProvisioned(t.deployment)) putTally(out, 0, t.succeeded, t.tokenTallies, TOKEN_SLOT.active);
  },
};

const cacheMatchRate: MetricModel = {
  cells: (d) => (isProvisioned(d) ? [model(d)] : []),
  sample: (t, out) => {
    if (isProvisioned(t.deployment)) putSpread(out, 0, t.succeeded, t.cacheMatch, 0);
  },
};

function rai(d: DemoDeployment): CellDimensions {
  return { ...model(d), ApiName: API_NAME };
}

const raiRejected: MetricModel = {
  cells: (d) => (d.kind === "chat" ? TEXT_TYPES.flatMap((text) => HARM_CATEGORIES.map((category) => ({ ...rai(d), TextType: text, Category: category }))) : []),
  sample: (t, out) => {
    if (t.deployment.kind !== "chat") return;
    for (let c = 0; c < TEXT_TYPES.length * HARM_CATEGORIES.length; c++) {
      let blocked = 0;
      for (let sev = FIRST_BLOCKED_SEVERITY; sev < SEVERITIES.length; sev++) blocked += t.harmful(c * SEVERITIES.length + sev);
      putCount(out, c, blocked);
    }
  },
};

const raiHarmful: MetricModel = {
  cells: (d) =>
    d.kind === "chat"
      ? TEXT_TYPES.flatMap((text) => HARM_CATEGORIES.flatMap((category) => SEVERITIES.map((severity) => ({ ...rai(d), TextType: text, Category: category, Severity: severity }))))
      : [],
  sample: (t, out) => {
    if (t.deployment.kind !== "chat") return;
    for (let c = 0; c < TEXT_TYPES.length * HARM_CATEGORIES.length * SEVERITIES.length; c++) putCount(out, c, t.harmful(c));
  },
};

/** Legacy Cognitive Services metrics have no deployment dimension: cells of all deployments merge. */
function legacyCells(d: DemoDeployment): CellDimensions {
  return { ApiName: API_NAME, OperationName: operation(d), Region: DEMO_REGION, RatelimitKey: DEMO_ACCOUNT_NAME };
}

function legacyCount(statuses: readonly number[]): MetricModel {
  return {
    cells: (d) => [legacyCells(d)],
    sample: (t, out) => {
      putCount(out, 0, total(t, statuses));
    },
  };
}

const legacyLatency: MetricModel = {
  cells: (d) => [legacyCells(d)],
  sample: (t, out) => {
    const latencies = t.latencies;
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const s of streams(t.deployment)) {
      for (let st = 0; st < STATUS_CODES.length; st++) {
        const o = (s * STATUS_CODES.length + st) * 3;
        const c = t.count(s, st);
        const mean = latencies[o] ?? Number.NaN;
        if (c === 0 || Number.isNaN(mean)) continue;
        n += c;
        sum += mean * c;
        min = Math.min(min, latencies[o + 1] ?? mean);
        max = Math.max(max, latencies[o + 2] ?? mean);
      }
    }
    put(out, 0, n, sum, min, max);
  },
};

/** Bytes on the wire: JSON envelopes plus ~4 bytes per token; an embedding is 3072 floats as text. */
function dataModel(direction: "in" | "out"): MetricModel {
  return {
    cells: (d) => [{ ApiName: API_NAME, OperationName: operation(d), Region: DEMO_REGION }],
    sample: (t, out) => {
      const n = total(t, ALL_STATUSES);
      if (n === 0) return;
      const ok = t.succeeded;
      const tokens = t.tokenTallies;
      const prompt = ok > 0 ? (tokens[TOKEN_SLOT.prompt * 3] ?? 0) : 0;
      const completion = ok > 0 && t.deployment.kind === "chat" ? (tokens[TOKEN_SLOT.completion * 3] ?? 0) : 0;
      const embedding = t.deployment.kind === "embeddings";
      const bytes = direction === "in" ? n * 420 + 4 * prompt : n * 310 + (embedding ? ok * 3072 * 11 : 4 * completion);
      put(out, 0, n, bytes, Math.round(bytes / n / 4), Math.round((bytes / n) * 4));
    },
  };
}

const rateLimit: MetricModel = {
  cells: (d) => (trafficProfile(d.name).requestsPerMinuteLimit > 0 ? [{ Region: DEMO_REGION, RatelimitKey: DEMO_ACCOUNT_NAME }] : []),
  sample: (t, out) => {
    const limit = trafficProfile(t.deployment.name).requestsPerMinuteLimit;
    if (limit > 0) put(out, 0, 1, limit, limit, limit);
  },
};

const noData: MetricModel = { cells: () => [], sample: () => undefined };

export const METRIC_MODELS: ReadonlyMap<string, MetricModel> = new Map<string, MetricModel>([
  ["AzureOpenAIRequests", requestsByStatus],
  ["AzureOpenAIAvailabilityRate", availability],
  ["AzureOpenAITimeToResponse", timeToResponse],
  ["AzureOpenAINormalizedTTFTInMS", generation(LATENCY_SLOT.firstToken)],
  ["AzureOpenAINormalizedTBTInMS", generation(LATENCY_SLOT.betweenTokens)],
  ["AzureOpenAITTLTInMS", generation(LATENCY_SLOT.lastByte)],
  ["AzureOpenAITokenPerSecond", generation(LATENCY_SLOT.tokensPerSecond)],
  ["ProcessedPromptTokens", tokens(TOKEN_SLOT.prompt)],
  ["GeneratedTokens", tokens(TOKEN_SLOT.completion, (d) => d.kind === "chat")],
  ["TokenTransaction", tokenTransaction],
  ["ActiveTokens", activeTokens],
  ["AzureOpenAIProvisionedManagedUtilizationV2", utilisationModel()],
  // Still emitted by Azure next to V2; the catalog flags it deprecated.
  ["AzureOpenAIProvisionedManagedUtilization", utilisationModel()],
  ["AzureOpenAIContextTokensCacheMatchRate", cacheMatchRate],
  // No fine-tuned models on the demo account.
  ["FineTunedTrainingHours", noData],
  ["RAIRejectedRequests", raiRejected],
  ["RAIHarmfulRequests", raiHarmful],
  ["TotalCalls", legacyCount(ALL_STATUSES)],
  ["SuccessfulCalls", legacyCount([S200])],
  ["BlockedCalls", legacyCount([S429])],
  ["ClientErrors", legacyCount([S400, S429])],
  ["ServerErrors", legacyCount([S500, S503])],
  ["TotalErrors", legacyCount([S400, S429, S500, S503])],
  ["Latency", legacyLatency],
  ["DataIn", dataModel("in")],
  ["DataOut", dataModel("out")],
  ["Ratelimit", rateLimit],
]);

export function metricModel(name: string): MetricModel {
  return METRIC_MODELS.get(name) ?? noData;
}
