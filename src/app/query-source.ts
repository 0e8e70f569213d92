// Builds the query layer for one of the two sources: real Azure (DefaultAzureCredential) or the
// embedded demo (the same SDK client, its requests answered in-process by the simulator).
import { LazyDefaultCredential } from "./lazy-credential.ts";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";
import { DEMO_RESOURCE_ID } from "../demo/demo-resource.ts";
import { simulatorHttpClient } from "../demo/http-client.ts";
import { SimulatedAzureMonitor } from "../demo/simulator.ts";
import { AzureMetrics } from "../queries/azure-metrics.ts";
import { BatchMetrics } from "../queries/batch-metrics.ts";
import { ConfigError } from "./config-error.ts";
import { watchedCredential, watchedHttpClient, type AzureRequestObserver } from "./azure-requests.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { QueryService } from "../queries/service.ts";
import { DEFAULT_ARM_ENDPOINT, type Config } from "./config.ts";
import type { ArmReaderOptions } from "../queries/arm-clients.ts";
import type { LogAbsence } from "../queries/logs/log-absence.ts";
import { portalFor } from "../queries/portal-hosts.ts";
import type { TableQueries } from "../queries/table-queries.ts";
import { LazyTables } from "./lazy-tables.ts";

export type SourceName = "demo" | "azure";

export interface SourceOptions {
  readonly source?: SourceName;
  /** Pins the clock (CLI --now, tests). */
  readonly now?: Date;
  /** Simulated Azure latency for the demo (benchmarks). */
  readonly demoLatencyMs?: number;
  /** Tests and sovereign setups: replace the network and the credential. */
  readonly httpClient?: HttpClient;
  /** The Log Analytics query API's network (tests: a loopback fake); the ARM httpClient otherwise. */
  readonly logsHttpClient?: HttpClient;
  readonly credential?: TokenCredential;
  /** Where each Azure request is logged (debug; failures warn); the shared logger by default. */
  readonly logger?: Logger;
  /** Told of each Azure read answered from this process's cache, by cache name (the bot process's metrics). */
  readonly onCacheHit?: (cache: string) => void;
  /** Told of each Azure request (the bot process's metrics). */
  readonly observeAzure?: AzureRequestObserver;
}

export interface QuerySource {
  readonly name: SourceName;
  readonly service: QueryService;
  readonly metrics: AzureMetrics;
  /** Logs, raw KQL, the activity log, quota and `doctor` (loaded by the first table question). */
  readonly tables: TableQueries;
  /** Log absence checks (questions go through `tables`; schedules call it directly); loaded with the tables. */
  readonly absence: () => Promise<LogAbsence>;
  /** For /readyz: resolves once Azure has given this process a token (the demo needs none). */
  readonly credentialReady: () => Promise<string>;
}

/** A token is re-requested this long before it expires, so readiness never leans on a stale one. */
const TOKEN_MARGIN_MS = 60_000;

function tokenProbe(credential: TokenCredential, scope: string): () => Promise<string> {
  let token: AccessToken | null = null;
  return async () => {
    if (!token || token.expiresOnTimestamp - TOKEN_MARGIN_MS < Date.now()) token = await credential.getToken(scope);
    if (!token) throw new Error("the Azure credential returned no token");
    return "Azure token obtained";
  };
}

/** Demo tokens never leave the process: the simulator ignores them. */
const DEMO_CREDENTIAL: TokenCredential = {
  getToken: () => Promise.resolve({ token: "demo", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export function chooseSource(config: Config, requested: SourceName | undefined): SourceName {
  if (requested === "azure" && config.resourceIds.length === 0) {
    throw new ConfigError("resources", "--source azure needs at least one Azure OpenAI resource: set AOAI_RESOURCE_IDS or `resources:` in aoai.config.yaml");
  }
  return requested ?? (config.resourceIds.length > 0 ? "azure" : "demo");
}

export function createQuerySource(config: Config, options: SourceOptions = {}): QuerySource {
  const name = chooseSource(config, options.source);
  const clock = options.now ? () => options.now ?? new Date() : () => new Date();
  const watch = { logger: options.logger ?? sharedLogger(), ...(options.observeAzure ? { observe: options.observeAzure } : {}) };
  const cache = options.onCacheHit ? { cache: { onHit: options.onCacheHit } } : {};
  // every client's network goes through one watch: each request timed, counted and logged
  const watched = (client: HttpClient | undefined) => watchedHttpClient(client ?? createDefaultHttpClient(), watch);
  if (name === "demo") {
    // The same clock as the queries: a long-running process keeps seeing new minutes land.
    const sim = new SimulatedAzureMonitor({ now: clock });
    const metrics = new AzureMetrics({
      credential: DEMO_CREDENTIAL,
      endpoint: DEFAULT_ARM_ENDPOINT,
      httpClient: watched(options.httpClient ?? simulatorHttpClient(sim, options.demoLatencyMs === undefined ? {} : { latencyMs: options.demoLatencyMs })),
      now: clock,
      ...cache,
      ...(config.queryTimeoutMs === undefined ? {} : { timeoutMs: config.queryTimeoutMs }),
    });
    const service = new QueryService({ metrics, resourceIds: [DEMO_RESOURCE_ID], zone: config.timezone, now: clock, ...(config.prices ? { prices: config.prices } : {}) });
    const arm: ArmReaderOptions = { credential: DEMO_CREDENTIAL, endpoint: DEFAULT_ARM_ENDPOINT, httpClient: watched(options.httpClient ?? simulatorHttpClient(sim)) };
    const tables = new LazyTables({ config, metrics, arm, logs: { demo: { traffic: sim.traffic, now: clock } }, resourceIds: [DEMO_RESOURCE_ID], now: clock });
    return { name, metrics, service, tables, absence: () => tables.absence(), credentialReady: () => Promise.resolve("no credential needed (demo)") };
  }
  const credential = watchedCredential(options.credential ?? new LazyDefaultCredential(), watch);
  const http = watched(options.httpClient);
  const metrics = new AzureMetrics({
    credential,
    endpoint: config.armEndpoint,
    now: clock,
    httpClient: http,
    ...cache,
    ...(config.queryTimeoutMs === undefined ? {} : { timeoutMs: config.queryTimeoutMs }),
  });
  // answers link to the same view in the cloud's portal; the demo's simulated resource has none to open
  const portal = portalFor(config.armEndpoint);
  // the metrics batch API for summaries of several accounts: the public cloud's regional hosts only (batch-metrics.ts)
  const batch = config.armEndpoint === DEFAULT_ARM_ENDPOINT ? new BatchMetrics({ metrics, credential, httpClient: http, ...(config.regions ? { regions: config.regions } : {}) }) : undefined;
  const service = new QueryService({ metrics, resourceIds: config.resourceIds, zone: config.timezone, now: clock, ...(config.prices ? { prices: config.prices } : {}), ...(portal ? { portal } : {}), ...(batch ? { batch } : {}) });
  const arm: ArmReaderOptions = { credential, endpoint: config.armEndpoint, httpClient: http, ...(config.queryTimeoutMs === undefined ? {} : { timeoutMs: config.queryTimeoutMs }) };
  const logs = { azure: { credential, endpoint: config.logsEndpoint, httpClient: options.logsHttpClient === undefined ? http : watched(options.logsHttpClient) } };
  const tables = new LazyTables({ config, metrics, arm, logs, resourceIds: config.resourceIds, now: clock, ...(portal ? { portal } : {}) });
  return { name, metrics, service, tables, absence: () => tables.absence(), credentialReady: tokenProbe(credential, `${config.armEndpoint.replace(/\/+$/, "")}/.default`) };
}

