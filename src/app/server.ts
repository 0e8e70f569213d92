// The one HTTP server. Chat platform endpoints (/slack/events, /api/messages) mount here later;
// no global body parser, because Slack's signature check needs the raw body.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import type { ReadinessReport } from "./readiness.ts";

export interface HttpServer {
  readonly app: express.Express;
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive (always 200 while it serves). /readyz: it can do its work: 200 with
 * each check when every dependency answered, 503 with the reasons when one did not.
 */
export async function startServer(port: number, host = "0.0.0.0", info: () => Record<string, unknown> = () => ({}), readiness: () => Promise<ReadinessReport> = () => Promise.resolve({ ready: true, checks: {}, reasons: [] })): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    readiness().then(
      (r) => {
        res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", ...info(), checks: r.checks, ...(r.ready ? {} : { reasons: r.reasons }) });
      },
      (err: unknown) => {
        res.status(503).json({ status: "not ready", ...info(), reasons: [`readiness check failed: ${err instanceof Error ? err.message : String(err)}`] });
      },
    );
  });
  const server = app.listen(port, host);
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  return {
    app,
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
