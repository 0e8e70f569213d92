// Every request to Azure, timed, counted and logged in one place: the network (HttpClient) under
// every SDK client query-source.ts builds, and the credential the clients take tokens from. Wrapping
// those two, rather than adding a policy to each client, covers the metrics, Resource Manager and
// Log Analytics clients alike (and the demo's simulator) without the query layer knowing of it.
// One debug line per request {api, method, path, status, ms}; a refusal (4xx) is an info line, a
// failure (no answer, 429, 5xx) a warn line. The path
// never has its query string: filters name deployments, and a SAS URL would carry its signature.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { isRestError, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { Logger } from "../log/logger.ts";

/** Which Azure API a request went to, for metrics labels (a fixed set: no ids in labels). */
export type AzureApi = "metrics" | "metrics_batch" | "metric_definitions" | "logs" | "arm_activity" | "arm_deployments" | "arm_diagnostic_settings" | "token" | "other";

export interface AzureRequest {
  readonly api: AzureApi;
  /** The HTTP status, or "error" when no answer came (a timeout, a refused connection, a failed token request). */
  readonly status: string;
  readonly seconds: number;
}

export type AzureRequestObserver = (request: AzureRequest) => void;

/** Checked in order, on the lower-cased path: the first that matches names the API. */
const APIS: readonly { readonly api: AzureApi; readonly path: RegExp }[] = [
  { api: "logs", path: /^\/v1\/.*\/query$/ },
  { api: "metric_definitions", path: /\/providers\/microsoft\.insights\/metricdefinitions$/ },
  { api: "metrics", path: /\/providers\/microsoft\.insights\/metrics$/ },
  { api: "metrics_batch", path: /^\/subscriptions\/[^/]+\/metrics:getbatch$/ },
  { api: "arm_activity", path: /\/providers\/microsoft\.insights\/eventtypes\/management\/values$/ },
  { api: "arm_diagnostic_settings", path: /\/providers\/microsoft\.insights\/diagnosticsettings$/ },
  { api: "arm_deployments", path: /\/providers\/microsoft\.cognitiveservices\/accounts\/[^/]+\/deployments(\/[^/]+)?$/ },
];

export function azureApiOf(url: string): AzureApi {
  const path = pathOf(url).toLowerCase();
  return APIS.find((a) => a.path.test(path))?.api ?? "other";
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? "";
  }
}

export interface AzureRequestWatch {
  readonly logger: Logger;
  readonly observe?: AzureRequestObserver;
}

/** `inner` with each request timed, counted and logged. */
export function watchedHttpClient(inner: HttpClient, watch: AzureRequestWatch): HttpClient {
  const log = watch.logger.child({ component: "azure" });
  return {
    sendRequest: async (request: PipelineRequest): Promise<PipelineResponse> => {
      const started = performance.now();
      const api = azureApiOf(request.url);
      const line = { api, method: request.method, path: pathOf(request.url) };
      const done = (status: string) => {
        const ms = Math.round(performance.now() - started);
        watch.observe?.({ api, status, seconds: ms / 1000 });
        return { ...line, status, ms };
      };
      let response: PipelineResponse;
      try {
        response = await inner.sendRequest(request);
      } catch (err) {
        // a RestError with a status still answered; without one nothing came back
        const status = isRestError(err) && err.statusCode !== undefined ? String(err.statusCode) : "error";
        log.warn({ ...done(status), err }, "azure request failed");
        throw err;
      }
      const fields = done(String(response.status));
      // throttling and Azure's own failures are worth a look; a 4xx is usually a question's own (a missing resource, a refused role)
      if (response.status >= 500 || response.status === 429) log.warn(fields, "azure request answered with an error");
      else if (response.status >= 400) log.info(fields, "azure request refused");
      else log.debug(fields, "azure request");
      return response;
    },
  };
}

/** `credential` with each token request timed and counted (api "token", status "ok" or "error"); the SDKs cache tokens, so these are few. */
export function watchedCredential(credential: TokenCredential, watch: AzureRequestWatch): TokenCredential {
  const log = watch.logger.child({ component: "azure" });
  return {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
      const started = performance.now();
      const finish = (status: string) => {
        const ms = Math.round(performance.now() - started);
        watch.observe?.({ api: "token", status, seconds: ms / 1000 });
        return { api: "token", scopes: ([] as string[]).concat(scopes), status, ms };
      };
      try {
        const token = await credential.getToken(scopes, options);
        log.debug(finish(token ? "ok" : "error"), "azure token");
        return token;
      } catch (err) {
        log.warn({ ...finish("error"), err }, "azure token request failed");
        throw err;
      }
    },
  };
}
