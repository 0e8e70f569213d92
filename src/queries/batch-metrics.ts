// The metrics batch API (metrics:getBatch, @azure/monitor-query-metrics): the same Metrics - List
// request for several accounts of one subscription and region goes as one call of up to 50
// accounts to https://<region>.metrics.monitor.azure.com, and comes back as each account's own
// Metrics - List response (batch-response.ts), kept in AzureMetrics' response cache under each
// account's own request. Sent through AzureMetrics.send, so retries, timeouts, the client request
// id, error translation and request counting are the per-resource path's. When the batch is not
// for this identity or place (batch-refusals.ts), the same requests go per resource.
import type { MetricsClient, MetricsQueryResourcesOptions, MetricsQueryResult } from "@azure/monitor-query-metrics";
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import type { AzureMetrics, CallOptions, MetricsResponse } from "./azure-metrics.ts";
import { groupForBatch, shapeOf, subscriptionOf, type BatchGroup, type BatchShape } from "./batch-groups.ts";
import { BatchRefusals, refusalOf } from "./batch-refusals.ts";
import { asListResponse, batchResponseProblem, byResource } from "./batch-response.ts";
import { METRIC_NAMESPACE } from "./catalog.ts";
import { AzureRequestError } from "./errors.ts";
import type { MetricsRequest } from "./plan.ts";
import { LISTED_BECAUSE, listedBecauseRefused, type SentAs } from "./sent-as.ts";

/** The batch API's token audience (its spec, the .NET and Java SDKs); monitor-query-metrics 1.0 would ask for Resource Manager's. */
export const BATCH_SCOPE = "https://metrics.monitor.azure.com/.default";

/** The public cloud's regional data-plane host; sovereign clouds are not batched (their hosts and audiences are unverified here). */
export function batchEndpoint(region: string): string {
  return `https://${region}.metrics.monitor.azure.com`;
}

/** Metrics - List's own default for `top` when a `$filter` splits: sent explicitly so a batched request keeps as many series as its unbatched one. */
const AZURE_DEFAULT_TOP = 10;

export interface BatchMetricsOptions {
  /** The per-resource client: its cache, retries, timeout and translation are the batch's too. */
  readonly metrics: AzureMetrics;
  readonly credential: TokenCredential;
  /** Replaces the network (the demo's simulator, tests' loopback fake). */
  readonly httpClient?: HttpClient;
  /** `resources[].region` by lower-cased resource id; accounts with none are batched once a Metrics - List answer named their region. */
  readonly regions?: Readonly<Record<string, string>>;
}

interface Waiting {
  readonly req: MetricsRequest;
  readonly resolve: (res: MetricsResponse | Promise<MetricsResponse>) => void;
  readonly reject: (err: unknown) => void;
}

export class BatchMetrics {
  private readonly metrics: AzureMetrics;
  private readonly credential: TokenCredential;
  private readonly httpClient: HttpClient | undefined;
  private readonly regions = new Map<string, string>();
  private readonly refusals = new BatchRefusals();
  private readonly clients = new Map<string, Promise<MetricsClient>>();
  /** Requests asked since the last flush (a microtask later: everything asked in the same turn goes together). */
  private readonly queued: Waiting[] = [];
  /** How each response query() gave was read (a batch call, or Metrics - List and why): answers and summaries say so. */
  private readonly sent = new WeakMap<MetricsResponse, SentAs>();

  constructor(options: BatchMetricsOptions) {
    this.metrics = options.metrics;
    this.credential = options.credential;
    this.httpClient = options.httpClient;
    for (const [id, region] of Object.entries(options.regions ?? {})) this.regions.set(id.toLowerCase(), region.toLowerCase());
  }

  /** The region whose metrics:getBatch call gave `res` (a response query() returned), or undefined when it came from Metrics - List. */
  batchedIn(res: MetricsResponse): string | undefined {
    const s = this.sent.get(res);
    return s?.api === "metrics_batch" ? s.region : undefined;
  }

  /** As which call `res` (a response query() returned) was read; undefined for one this reader did not send (kept by the per-resource path). */
  sentAs(res: MetricsResponse): SentAs | undefined {
    return this.sent.get(res);
  }

  /**
   * What `reqs`, asked in one turn, would go as were nothing kept in the cache: the batch call each
   * would share, or undefined (its own Metrics - List call). For `aoai ask --plan`, which sends nothing.
   */
  outlook(reqs: readonly MetricsRequest[]): (SentAs | undefined)[] {
    const { groups } = groupForBatch(reqs.map((req, i) => ({ req, i })), (w) => this.shapeFor(w.req), (w) => w.req.resourceId);
    const out: (SentAs | undefined)[] = reqs.map(() => undefined);
    for (const g of groups) {
      const call = batchCall(g.shape.region, g.members.map((w) => w.req));
      for (const w of g.members) out[w.i] = call;
    }
    return out;
  }

  /** The account's region: configured, or as a Metrics - List or batch answer reported it. */
  regionOf(resourceId: string): string | undefined {
    return this.regions.get(resourceId.toLowerCase());
  }

  /**
   * `req`'s response: from the cache when kept, else sent with the requests asked in the same turn
   * of the event loop (a summary's, a question's) that differ from it only by account, as one batch
   * call; alone, with its region unknown or the batch refused, as its own Metrics - List call.
   */
  query(req: MetricsRequest): Promise<MetricsResponse> {
    // cachedOr calls the loader synchronously: a request already kept or in flight is never queued
    return this.metrics.cachedOr(req, () =>
      new Promise<MetricsResponse>((resolve, reject) => {
        this.queued.push({ req, resolve, reject });
        if (this.queued.length === 1) queueMicrotask(() => {
          this.flush();
        });
      }),
    );
  }

  /** One response per request, in order (see query). */
  queryAll(reqs: readonly MetricsRequest[]): Promise<MetricsResponse>[] {
    return reqs.map((req) => this.query(req));
  }

  private flush(): void {
    const waiting = this.queued.splice(0);
    const { groups, alone } = groupForBatch(waiting, (w) => this.shapeFor(w.req), (w) => w.req.resourceId);
    for (const w of alone) this.alone(w, this.whyAlone(w.req));
    for (const g of groups) void this.sendGroup(g);
  }

  private shapeFor(req: MetricsRequest): BatchShape | undefined {
    const shape = shapeOf(req, this.regionOf(req.resourceId));
    return shape === undefined || this.refusals.refused(shape.subscriptionId, shape.region) !== undefined ? undefined : shape;
  }

  private whyAlone(req: MetricsRequest): string {
    const region = this.regionOf(req.resourceId);
    const subscription = subscriptionOf(req.resourceId);
    const refused = region === undefined || subscription === undefined ? undefined : this.refusals.refused(subscription, region);
    if (refused !== undefined) return listedBecauseRefused(refused.why);
    if (region === undefined) return LISTED_BECAUSE.regionUnknown;
    return shapeOf(req, region) === undefined ? LISTED_BECAUSE.spanUnsaid : LISTED_BECAUSE.alone;
  }

  /** Its own Metrics - List call; the region it reports is learnt for the next batch. */
  private alone(w: Waiting, because: string): void {
    w.resolve(
      this.metrics.listUncached(w.req).then((res) => {
        this.learn(w.req.resourceId, res.resourceregion);
        this.sent.set(res, { api: "metrics", call: "Metrics - List", because });
        return res;
      }),
    );
  }

  private learn(resourceId: string, region: string | undefined): void {
    if (region !== undefined && /^[a-z][a-z0-9]*$/i.test(region)) this.regions.set(resourceId.toLowerCase(), region.toLowerCase());
  }

  /** Never rejects: every waiting request is answered or rejected. */
  private async sendGroup(g: BatchGroup<Waiting>): Promise<void> {
    let results: Map<string, MetricsQueryResult>;
    try {
      results = byResource(await this.send(g.shape, [...new Set(g.members.map((w) => w.req.resourceId))]));
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined) {
        for (const w of g.members) w.reject(err);
        return;
      }
      this.refusals.remember(refusal, g.shape.subscriptionId, g.shape.region);
      for (const w of g.members) this.alone(w, listedBecauseRefused(refusal.why));
      return;
    }
    const call = batchCall(g.shape.region, g.members.map((w) => w.req));
    for (const w of g.members) {
      const result = results.get(w.req.resourceId.toLowerCase());
      if (result === undefined) {
        // named, so it is this account's failure (refused-resource.ts): the others answer
        w.reject(new AzureRequestError(`Azure Monitor's batch answer (metrics:getBatch in ${g.shape.region}) had nothing for ${w.req.resourceId}.`, {
          hint: `Check that the account is in ${g.shape.region} (resources[].region in aoai.config.yaml), or ask again.`,
        }));
        continue;
      }
      try {
        this.learn(w.req.resourceId, result.resourceRegion);
        const res = asListResponse(result, w.req);
        this.sent.set(res, call);
        w.resolve(res);
      } catch (err) {
        // a shape the check let through and the conversion could not read: this request's failure, never a hung one
        w.reject(err);
      }
    }
  }

  private async send(shape: BatchShape, resourceIds: string[]): Promise<MetricsQueryResult[]> {
    const client = await this.client(shape.region);
    const query: MetricsQueryResourcesOptions = {
      startTime: shape.startTime,
      endTime: shape.endTime,
      interval: shape.interval,
      aggregation: shape.aggregation,
      ...(shape.filter === undefined ? {} : { filter: shape.filter, top: shape.top ?? AZURE_DEFAULT_TOP }),
      ...(shape.filter === undefined && shape.top !== undefined ? { top: shape.top } : {}),
      ...(shape.orderby === undefined ? {} : { orderBy: shape.orderby }),
    };
    // the SDK passes the per-call options (signal, headers, onResponse) on to the pipeline
    return this.metrics.send(`/subscriptions/${shape.subscriptionId}`, (call: CallOptions) => client.queryResources(resourceIds, shape.metricnames.split(","), METRIC_NAMESPACE, { ...query, ...call }), batchResponseProblem);
  }

  /** One client per region, and the package loaded on the first batch only. */
  private client(region: string): Promise<MetricsClient> {
    let client = this.clients.get(region);
    if (client === undefined) {
      client = import("@azure/monitor-query-metrics").then(
        ({ MetricsClient }) =>
          new MetricsClient(batchEndpoint(region), this.credential, {
            credentials: { scopes: [BATCH_SCOPE] },
            retryOptions: { maxRetries: 0 },
            ...(this.httpClient === undefined ? {} : { httpClient: this.httpClient }),
          }),
      );
      this.clients.set(region, client);
    }
    return client;
  }
}

/** One metrics:getBatch call for `reqs` (one per account, or several of an account's that differ by nothing it sends). */
function batchCall(region: string, reqs: readonly MetricsRequest[]): SentAs {
  return { api: "metrics_batch", call: "metrics:getBatch", region, endpoint: batchEndpoint(region), accounts: new Set(reqs.map((r) => r.resourceId.toLowerCase())).size };
}
