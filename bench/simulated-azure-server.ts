// The demo's simulated Azure Monitor behind a loopback HTTP server, answering after `latencyMs`:
// Azure's own work then happens outside the bot process, as it does in production, and the
// bench's figures are the bot's.
import { SimulatedAzureMonitor } from "../src/demo/simulator.ts";
import { close, listen } from "../test/fakes/loopback.ts";

export interface SimulatedAzureServer {
  /** The base URL for forwardingHttpClient (test/fakes/loopback.ts). */
  readonly url: string;
  close(): Promise<void>;
}

export async function simulatedAzureServer(latencyMs: number, now: () => Date): Promise<SimulatedAzureServer> {
  const sim = new SimulatedAzureMonitor({ now });
  const { server, base } = await listen((req, res) => {
    // the SDK sends `//subscriptions/...`; the simulator reads the ARM path
    const url = `https://management.azure.com${(req.url ?? "/").replace(/^\/+/, "/")}`;
    req.resume();
    setTimeout(() => {
      const answer = sim.handle({ method: req.method ?? "GET", url });
      if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body);
    }, latencyMs);
  });
  return { url: base, close: () => close(server) };
}
