// The one module that talks to Azure Monitor metrics (through @azure/arm-monitor), so retries,
// timeouts, error translation and caching live in a single place.
import { randomUUID } from "node:crypto";
import { MonitorClient, type MetricDefinition, type Response as MetricsResponse } from "@azure/arm-monitor";
import type { TokenCredential } from "@azure/core-auth";
import { isRestError, type HttpClient } from "@azure/core-rest-pipeline";
import { METRIC_NAMESPACE } from "./catalog.ts";
import { AzureAccessDeniedError, AzureRequestError, AzureThrottledError, AzureTimeoutError, AzureUnreadableResponseError, UserError } from "./errors.ts";
import { DEPLOYMENT_FACTS_QUERY, deploymentFactsOf, dimensionValuesOf, type DeploymentFacts } from "./deployment-facts.ts";
import { LookupCache, type CacheObserver } from "./lookup-cache.ts";
import { METRICS_CACHE, metricsCacheKey, metricsTtlMs, pointsIn, type MetricsCachePolicy } from "./metrics-cache.ts";
import { CANONICAL_FAMILY, metricNamesIn, readBack, type MetricFamilyId } from "./metric-families.ts";
import { metricsResponseProblem } from "./metrics-response-shape.ts";
import { definitionsResponseProblem } from "./definitions-response-shape.ts";
import type { MetricsRequest } from "./plan.ts";
import { isoSpan } from "./time-window.ts";
import { retry, type RetryPolicy, type RetryVerdict } from "../retry/retry.ts";

export type { MetricsResponse, MetricDefinition };

/**
 * Throttling retry policy, run by the shared loop (retry/retry.ts). The SDK's own retries are off:
 * they would honour a Retry-After of minutes while a person waits in chat. We retry 429/529/503
 * (Azure's Retry-After when it sends one, else a doubling backoff) and never hold a question past
 * the budget: a wait that would end after it is not started, the throttling error is said instead.
 */
export const AZURE_QUERY_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 8_000, baseDelayMs: 500, maxDelayMs: 4_000 };

/** One Metrics - List call; Azure's own gateway gives up at about 60 s, a chat user sooner. */
export const DEFAULT_QUERY_TIMEOUT_MS = 20_000;

/**
 * How long discovered deployment names are trusted (per resource) before asking Azure again: a
 * burst of questions reads them once, and a model deployed a minute ago is askable a minute later.
 */
export const DEPLOYMENTS_TTL_MS = 60_000;
/** Lookups this old are read again in the background while still served (lookup-cache.ts), so a burst never waits on one. */
export const LOOKUP_REFRESH_AFTER_MS = 40_000;
const DEPLOYMENT_LOOKBACK_MS = 30 * 24 * 3_600_000;

export interface AzureMetricsOptions {
  readonly credential: TokenCredential;
  /** Resource Manager base URL; sovereign clouds use their own. */
  readonly endpoint: string;
  /** Replaces the network: the embedded demo and tests route requests to a simulated Azure Monitor. */
  readonly httpClient?: HttpClient;
  readonly timeoutMs?: number;
  /** Overrides parts of AZURE_QUERY_RETRY (tests: no waits). */
  readonly retry?: Partial<RetryPolicy>;
  readonly now?: () => Date;
  /**
   * Metrics - List responses kept (metrics-cache.ts) and the lookups, each reported to onHit/onMiss
   * by a fixed name: "metrics", "definitions", "deployments", "dimension-values". `false`: no
   * response is kept (lookups still are), for a test that changes Azure's answers between two identical questions.
   */
  readonly cache?: (Partial<MetricsCachePolicy> & CacheObserver) | false;
}

export class AzureMetrics {
  private readonly client: MonitorClient;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private readonly deploymentCache: LookupCache<DeploymentFacts[]>;
  private readonly valuesCache: LookupCache<string[]>;
  private readonly definitionsCache: LookupCache<MetricDefinition[]>;
  private readonly responses: LookupCache<MetricsResponse> | undefined;
  private readonly cachePolicy: MetricsCachePolicy;
  /** Requests sent to Azure, for the benchmark and for "how many calls did that cost". */
  requestCount = 0;

  constructor(options: AzureMetricsOptions) {
    this.client = new MonitorClient(options.credential, {
      endpoint: options.endpoint,
      credentials: { scopes: [`${options.endpoint.replace(/\/+$/, "")}/.default`] },
      retryOptions: { maxRetries: 0 },
      ...(options.httpClient === undefined ? {} : { httpClient: options.httpClient }),
    });
    this.timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.retry = { ...AZURE_QUERY_RETRY, ...options.retry };
    this.now = options.now ?? (() => new Date());
    const cache = options.cache === false ? undefined : options.cache;
    const observer: CacheObserver = { ...(cache?.onHit ? { onHit: cache.onHit } : {}), ...(cache?.onMiss ? { onMiss: cache.onMiss } : {}) };
    this.cachePolicy = { ...METRICS_CACHE, ...cache };
    this.deploymentCache = new LookupCache(DEPLOYMENTS_TTL_MS, { name: "deployments", refreshAfterMs: LOOKUP_REFRESH_AFTER_MS, ...observer });
    this.valuesCache = new LookupCache(DEPLOYMENTS_TTL_MS, { name: "dimension-values", refreshAfterMs: LOOKUP_REFRESH_AFTER_MS, ...observer });
    this.definitionsCache = new LookupCache(DEPLOYMENTS_TTL_MS, { name: "definitions", refreshAfterMs: LOOKUP_REFRESH_AFTER_MS, ...observer });
    this.responses =
      options.cache === false ? undefined : new LookupCache(this.cachePolicy.liveTtlMs, { name: "metrics", maxEntries: this.cachePolicy.maxEntries, maxWeight: this.cachePolicy.maxPoints, weigh: pointsIn, ...observer });
  }

  /** Identical requests share one response while it is fresh (metrics-cache.ts), and one Azure request while in flight. */
  async query(req: MetricsRequest): Promise<MetricsResponse> {
    if (this.responses === undefined) return this.list(req);
    const now = this.now().getTime();
    return this.responses.get(metricsCacheKey(req, { metricnamespace: METRIC_NAMESPACE }), now, () => this.list(req), metricsTtlMs(req, now, this.cachePolicy));
  }

  /**
   * `req`'s response as query() keeps it (same key, same lifetime, shared while in flight), with
   * `load` asked only when none is kept: the metrics batch API (batch-metrics.ts) answers several
   * resources' requests at once. `load` is called synchronously when it is called at all.
   */
  cachedOr(req: MetricsRequest, load: () => Promise<MetricsResponse>): Promise<MetricsResponse> {
    if (this.responses === undefined) return load();
    const now = this.now().getTime();
    return this.responses.get(metricsCacheKey(req, { metricnamespace: METRIC_NAMESPACE }), now, load, metricsTtlMs(req, now, this.cachePolicy));
  }

  /** One Metrics - List call, past the cache: the batch API's per-resource fallback (its request is already the cache's entry). */
  listUncached(req: MetricsRequest): Promise<MetricsResponse> {
    return this.list(req);
  }

  /** Another client's call (the batch API's) with this one's retries, timeout, request id, counting and error translation. */
  send<T>(scope: string, send: (options: CallOptions) => Promise<T>, check?: (body: unknown) => string | undefined): Promise<T> {
    return this.call(scope, send, check);
  }

  private list(req: MetricsRequest): Promise<MetricsResponse> {
    return this.call(req.resourceId, (options) =>
      this.client.metrics.list(req.resourceId, {
        metricnames: req.metricnames,
        aggregation: req.aggregation,
        interval: req.interval,
        timespan: req.timespan,
        metricnamespace: METRIC_NAMESPACE,
        ...(req.filter === undefined ? {} : { filter: req.filter }),
        ...(req.top === undefined ? {} : { top: req.top }),
        ...(req.orderby === undefined ? {} : { orderby: req.orderby }),
        ...options,
      }),
      metricsResponseProblem,
    );
  }

  /** Deployment names that reported requests in the last 30 days (read with their facts: one lookup). */
  async deployments(resourceId: string): Promise<string[]> {
    return (await this.deploymentFacts(resourceId)).map((f) => f.name);
  }

  /**
   * Each deployment's name, model and whether it is provisioned (deployment-facts.ts): one Metadata
   * query per resource, cached, in the metric names of the resource's `family` (metric-families.ts).
   */
  async deploymentFacts(resourceId: string, family: MetricFamilyId = CANONICAL_FAMILY): Promise<DeploymentFacts[]> {
    const metricnames = metricNamesIn(family, DEPLOYMENT_FACTS_QUERY.metricnames);
    return this.deploymentCache.get(`${resourceId}\n${family}`, this.now().getTime(), () =>
      this.metadata(resourceId, metricnames, DEPLOYMENT_FACTS_QUERY.filter).then((res) => deploymentFactsOf(readBack(res, metricnames, DEPLOYMENT_FACTS_QUERY.metricnames))),
    );
  }

  /**
   * The values of `dimension` that `metricName` reported in the last 30 days: one Metadata query per
   * resource and dimension, cached. `filter`: the split narrowed further (a restricted asker's
   * deployments, reported-values.ts); default `<dimension> eq '*'`.
   */
  async dimensionValues(resourceId: string, metricName: string, dimension: string, filter?: string): Promise<string[]> {
    const key = filter === undefined ? `${resourceId}\n${dimension}` : `${resourceId}\n${dimension}\n${filter}`;
    return this.valuesCache.get(key, this.now().getTime(), () => this.metadata(resourceId, metricName, filter ?? `${dimension} eq '*'`).then((res) => dimensionValuesOf(res, dimension)));
  }

  /** Dimension values only (resultType=Metadata): no data points, so cheap at any lookback. */
  private metadata(resourceId: string, metricnames: string, filter: string): Promise<MetricsResponse> {
    const end = this.now();
    return this.call(resourceId, (options) =>
      this.client.metrics.list(resourceId, {
        metricnames,
        metricnamespace: METRIC_NAMESPACE,
        resultType: "Metadata",
        timespan: isoSpan({ start: new Date(end.getTime() - DEPLOYMENT_LOOKBACK_MS), end }),
        filter,
        top: 1000,
        ...options,
      }),
      metricsResponseProblem,
    );
  }

  /** The metrics the resource reports (which metric family answers, metric-families.ts): one read per resource, cached. */
  async definitions(resourceId: string): Promise<MetricDefinition[]> {
    return this.definitionsCache.get(resourceId, this.now().getTime(), () =>
      this.call(resourceId, async (options) => {
        const out: MetricDefinition[] = [];
        for await (const d of this.client.metricDefinitions.list(resourceId, { metricnamespace: METRIC_NAMESPACE, ...options })) out.push(d);
        return out;
      }, definitionsResponseProblem),
    );
  }

  /**
   * Sends with retries. `check` reads the JSON of a 200 as it arrived, before the SDK's deserializer
   * (which throws TypeErrors on a body of the wrong shape) or the caller trust it.
   */
  private async call<T>(resourceId: string, send: (options: CallOptions) => Promise<T>, check: (body: unknown) => string | undefined = () => undefined): Promise<T> {
    return retry(() => this.attempt(resourceId, send, check), { policy: this.retry, decide: throttledAgain });
  }

  /** One request: its own timeout and client request id; a failure comes back translated. */
  private async attempt<T>(resourceId: string, send: (options: CallOptions) => Promise<T>, check: (body: unknown) => string | undefined): Promise<T> {
    this.requestCount++;
    const signal = AbortSignal.timeout(this.timeoutMs);
    // Our own id, sent as x-ms-client-request-id: Azure logs it, and a timeout (no response) can still quote it.
    const clientRequestId = randomUUID();
    let received: { status: number; body: unknown; requestId: string | undefined } | undefined;
    const onResponse = (raw: RawResponse) => {
      received = { status: raw.status, body: raw.parsedBody, requestId: raw.headers.get("x-ms-request-id") };
    };
    const unreadable = () => {
      const problem = received?.status === 200 ? check(received.body) : undefined;
      if (problem === undefined) return undefined;
      return new AzureUnreadableResponseError(`Azure Monitor sent a response the bot could not read (request id ${received?.requestId ?? clientRequestId}).`, {
        hint: "Try again; if it keeps happening, report it with the request id.",
        cause: new Error(`unexpected Metrics response: ${problem}`),
      });
    };
    let result: T;
    try {
      result = await send({ abortSignal: signal, requestOptions: { headers: { "x-ms-client-request-id": clientRequestId } }, onResponse });
    } catch (err) {
      throw unreadable() ?? translate(err, resourceId, this.timeoutMs, signal.aborted, clientRequestId);
    }
    const failure = unreadable();
    if (failure) throw failure;
    return result;
  }
}

/** Only throttling is worth another attempt, after Azure's Retry-After when it gave one. */
function throttledAgain(err: unknown): RetryVerdict {
  if (!(err instanceof AzureThrottledError)) return { retry: false };
  return err.retryAfterSeconds > 0 ? { retry: true, afterMs: err.retryAfterSeconds * 1000 } : { retry: true };
}

export interface RawResponse {
  readonly status: number;
  readonly parsedBody?: unknown;
  readonly headers: { get(name: string): string | undefined };
}

export interface CallOptions {
  readonly abortSignal: AbortSignal;
  readonly requestOptions: { readonly headers: Record<string, string> };
  readonly onResponse: (raw: RawResponse) => void;
}

/** Azure's answer to a person: which role on which scope, how long to wait, which request id to quote. */
export function translate(err: unknown, resourceId: string, timeoutMs: number, timedOut: boolean, clientRequestId?: string): UserError {
  if (err instanceof UserError) return err;
  const requestId = (isRestError(err) ? err.response?.headers.get("x-ms-request-id") : undefined) ?? clientRequestId;
  const ref = requestId ? ` (request id ${requestId})` : "";
  if (timedOut || (err instanceof Error && err.name === "AbortError")) {
    const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
    return new AzureTimeoutError(`Azure Monitor did not answer within ${limit}${ref}.`, {
      hint: "Try again, or ask about a shorter window. If it keeps happening, check https://status.azure.com.",
      cause: err,
    });
  }
  if (isRestError(err)) {
    const status = err.statusCode ?? 0;
    const azureMessage = azureErrorMessage(err);
    if (status === 429 || status === 529 || status === 503) {
      const retryAfter = Number.parseInt(err.response?.headers.get("retry-after") ?? "", 10);
      return new AzureThrottledError(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 0, {
        hint: "Azure Monitor limits how often metrics can be read; ask again in a moment.",
        cause: err,
      });
    }
    if (status === 403) {
      return new AzureAccessDeniedError(`The bot's Azure identity is not allowed to read metrics on ${resourceId}${ref}.`, {
        hint: `Assign it the "Monitoring Reader" role on that resource (or its resource group or subscription). New role assignments can take up to an hour to apply.${azureMessage ? ` Azure said: ${azureMessage}` : ""}`,
        cause: err,
      });
    }
    if (status === 401) {
      return new AzureAccessDeniedError(`Azure rejected the bot's credentials${ref}.`, {
        hint: "Check AZURE_TENANT_ID / AZURE_CLIENT_ID and the secret, certificate or managed identity the bot runs with.",
        cause: err,
      });
    }
    if (status === 404) {
      return new AzureRequestError(`Azure says ${resourceId} does not exist${ref}.`, {
        hint: "Check the resource IDs in AOAI_RESOURCE_IDS or aoai.config.yaml.",
        cause: err,
      });
    }
    if (err.code === "PARSE_ERROR") {
      return new AzureUnreadableResponseError(`Azure Monitor sent a response the bot could not read${ref}.`, { hint: "Try again; if it keeps happening, report it with the request id.", cause: err });
    }
    if (status === 0) {
      return new AzureRequestError(`Could not reach Azure Monitor: ${err.message}${ref}.`, { hint: "Check the network and AOAI_ARM_ENDPOINT.", cause: err });
    }
    return new AzureRequestError(`Azure Monitor answered HTTP ${status}${azureMessage ? `: ${azureMessage}` : ""}${ref}.`, {
      hint: status >= 500 ? "This is on Azure's side; try again in a minute." : "Rephrase the question; if it persists, this is a bug worth reporting.",
      cause: err,
    });
  }
  // @azure/identity's CredentialUnavailableError / AuthenticationError / AggregateAuthenticationError
  if (err instanceof Error && /Credential|Authentication/.test(err.name)) {
    return new AzureAccessDeniedError(`The bot could not get an Azure token: ${err.message.split("\n")[0] ?? ""}`, {
      hint: "Run `az login`, set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, or run with a managed identity. Or use `--source demo`.",
      cause: err,
    });
  }
  return new AzureRequestError(`Azure Monitor request failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

export function azureErrorMessage(err: { code?: string; details?: unknown; message: string }): string | undefined {
  const details = err.details as { error?: { code?: string; message?: string }; code?: string; message?: string } | undefined;
  const e = details?.error ?? details;
  const code = e?.code ?? err.code;
  const message = typeof e?.message === "string" ? e.message : err.message;
  if (!message) return code;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}
