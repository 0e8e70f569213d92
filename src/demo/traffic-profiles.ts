// How busy, fast and wordy each demo deployment is, as data. Numbers are picked to look like a
// mid-sized team's account: gpt-4o-mini carries most calls, embeddings arrive in indexing bursts,
// the provisioned deployment runs close to its capacity at the afternoon peak.

export interface TrafficProfile {
  /** Mean requests per minute at the weekday peak. */
  readonly peakPerMinute: number;
  /** Share of the peak still arriving at night (clients in other time zones, batch jobs). */
  readonly nightShare: number;
  readonly weekendShare: number;
  /** Indexing jobs: chance that an hour holds one, and its extra requests per minute. */
  readonly bursts?: { readonly perHourChance: number; readonly minPerMinute: number; readonly maxPerMinute: number };
  /** Share of requests that stream; embeddings never do. */
  readonly streamingShare: number;
  /** Share of requests answered 400 for reasons other than the content filter. */
  readonly badRequestRate: number;
  /** Shares answered 500 (internal error) and 503 (overloaded). Named keys: numeric-looking keys make V8 store the object slowly. */
  readonly serverErrorRate: { readonly internal: number; readonly unavailable: number };
  /** Per successful request. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Time to response of a successful request at low load, by stream type. */
  readonly responseMs: { readonly streaming: number; readonly nonStreaming: number };
  /** Time between generated tokens. */
  readonly tokenGapMs: number;
  /** Harmful content detected, per request, in prompts and completions. */
  readonly harmfulRate: { readonly prompt: number; readonly completion: number };
  /** The legacy `Ratelimit` metric's value: the deployment's requests-per-minute limit. */
  readonly requestsPerMinuteLimit: number;
  /** Provisioned throughput: tokens per minute at 100 % utilisation, and the prompt cache hit rate. */
  readonly provisioned?: { readonly capacityTokensPerMinute: number; readonly cacheMatchPercent: number };
}

export const TRAFFIC_PROFILES: Readonly<Record<string, TrafficProfile>> = {
  "gpt-4o": {
    peakPerMinute: 160,
    nightShare: 0.1,
    weekendShare: 0.3,
    streamingShare: 0.65,
    badRequestRate: 0.012,
    serverErrorRate: { internal: 0.0012, unavailable: 0.0008 },
    promptTokens: 1800,
    completionTokens: 380,
    responseMs: { streaming: 620, nonStreaming: 4200 },
    tokenGapMs: 24,
    harmfulRate: { prompt: 0.004, completion: 0.0015 },
    requestsPerMinuteLimit: 450,
  },
  "gpt-4o-mini": {
    peakPerMinute: 540,
    nightShare: 0.12,
    weekendShare: 0.35,
    streamingShare: 0.55,
    badRequestRate: 0.015,
    serverErrorRate: { internal: 0.001, unavailable: 0.0007 },
    promptTokens: 950,
    completionTokens: 230,
    responseMs: { streaming: 340, nonStreaming: 1900 },
    tokenGapMs: 11,
    harmfulRate: { prompt: 0.005, completion: 0.002 },
    requestsPerMinuteLimit: 900,
  },
  "text-embedding-3-large": {
    peakPerMinute: 70,
    nightShare: 0.05,
    weekendShare: 0.2,
    bursts: { perHourChance: 0.3, minPerMinute: 300, maxPerMinute: 900 },
    streamingShare: 0,
    badRequestRate: 0.004,
    serverErrorRate: { internal: 0.0008, unavailable: 0.0006 },
    promptTokens: 620,
    completionTokens: 0,
    responseMs: { streaming: 0, nonStreaming: 95 },
    tokenGapMs: 0,
    harmfulRate: { prompt: 0, completion: 0 },
    requestsPerMinuteLimit: 1200,
  },
  "gpt-4o-ptu": {
    peakPerMinute: 110,
    nightShare: 0.08,
    weekendShare: 0.25,
    streamingShare: 0.8,
    badRequestRate: 0.008,
    serverErrorRate: { internal: 0.0007, unavailable: 0.0005 },
    promptTokens: 2400,
    completionTokens: 420,
    responseMs: { streaming: 430, nonStreaming: 3100 },
    tokenGapMs: 17,
    harmfulRate: { prompt: 0.002, completion: 0.001 },
    requestsPerMinuteLimit: 0,
    // ~2.8k tokens per request × 110/min ≈ 310k tokens/min at peak: busy afternoons touch 100 %.
    provisioned: { capacityTokensPerMinute: 300_000, cacheMatchPercent: 38 },
  },
};

export function trafficProfile(deployment: string): TrafficProfile {
  const p = TRAFFIC_PROFILES[deployment];
  if (p === undefined) throw new Error(`no traffic profile for demo deployment ${deployment}`);
  return p;
}
