// The one HTTP server. Chat platform endpoints (/slack/events, /api/messages) mount here later;
// no global body parser, because Slack's signature check needs the raw body.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";

export interface HttpServer {
  readonly app: express.Express;
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

export async function startServer(port: number, host = "0.0.0.0", info: () => Record<string, unknown> = () => ({})): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    res.json({ status: "ready", ...info() });
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
