// Plugs the simulator into an Azure SDK pipeline as its HttpClient: requests pass through every
// policy (bearer token, retries, user agent) exactly as in production, then stay in-process
// instead of opening a socket.
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { SimulatedAzureMonitor } from "./simulator.ts";

export interface SimulatorHttpClientOptions {
  /** Delay before each answer, to make timeouts and spinners observable in the demo. */
  readonly latencyMs?: number;
}

type AbortSignalLike = NonNullable<PipelineRequest["abortSignal"]>;

export function simulatorHttpClient(sim: SimulatedAzureMonitor, options: SimulatorHttpClientOptions = {}): HttpClient {
  const latencyMs = options.latencyMs ?? 0;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      await pause(latencyMs, request.abortSignal);
      const res = sim.handle({ method: request.method, url: request.url, ...(typeof request.body === "string" ? { body: request.body } : {}) });
      return { request, status: res.status, headers: createHttpHeaders(res.headers), bodyAsText: res.body };
    },
  };
}

/** The pipeline recognises cancellation by this error name and does not retry it. */
function abortError(): Error {
  const err = new Error("The operation was aborted.");
  err.name = "AbortError";
  return err;
}

function pause(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError());
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort);
  });
}
