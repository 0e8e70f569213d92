// The one HTTP server. Chat platform endpoints (/slack/events, /api/messages) mount here later;
// no global body parser, because Slack's signature check needs the raw body.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import type { ReadinessReport } from "./readiness.ts";
import { requestIds } from "./request-id.ts";

/** Why the port could not be opened, as people fix it: which variable to set. */
const LISTEN_FAILURES: Readonly<Record<string, { readonly code: PortUnavailableError["code"]; readonly says: string }>> = {
  EADDRINUSE: { code: "port_in_use", says: "is already in use" },
  EACCES: { code: "port_not_permitted", says: "needs privileges this process does not have" },
};

/** The HTTP port could not be opened; the bot process exits 3, like any setting to change. */
export class PortUnavailableError extends Error {
  readonly code: "port_in_use" | "port_not_permitted";
  readonly port: number;

  constructor(code: PortUnavailableError["code"], port: number, message: string, cause: unknown) {
    super(message, { cause });
    this.name = "PortUnavailableError";
    this.code = code;
    this.port = port;
  }
}

function listenError(err: unknown, port: number): unknown {
  const failure = LISTEN_FAILURES[(err as NodeJS.ErrnoException | undefined)?.code ?? ""];
  if (!failure) return err;
  const other = port >= 1024 && port < 65535 ? port + 1 : 3979;
  return new PortUnavailableError(failure.code, port, `Port ${port} ${failure.says}; set PORT to another port (e.g. PORT=${other} npm start)`, err);
}

export interface HttpServer {
  readonly app: express.Express;
  readonly server: Server;
  readonly port: number;
  /** The address it listens on ("127.0.0.1", "0.0.0.0", …). */
  readonly host: string;
  /**
   * Stops taking work: no new connections, idle ones closed, and any further request on a kept
   * connection answered 503 (the health checks still answer). Requests under way finish.
   */
  drain(): void;
  /** Ends every connection, finished or not. */
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive (always 200 while it serves). /readyz: it can do its work: 200 with
 * each check when every dependency answered, 503 with the reasons when one did not.
 */
export async function startServer(port: number, host = "0.0.0.0", info: () => Record<string, unknown> = () => ({}), readiness: () => Promise<ReadinessReport> = () => Promise.resolve({ ready: true, checks: {}, reasons: [] })): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  // first: every line a request logs, whatever answers it, carries its id
  app.use(requestIds);
  let draining = false;
  // first, before any route: a stopping process takes no new work, but still says how it is
  app.use((req, res, next) => {
    if (draining) res.setHeader("connection", "close");
    if (!draining || req.path === "/healthz" || req.path === "/readyz") {
      next();
      return;
    }
    res.status(503).json({ status: "draining", reason: "this process is stopping; another replica answers" });
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    readiness().then(
      (r) => {
        res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : r.draining === true ? "draining" : "not ready", ...info(), checks: r.checks, ...(r.ready ? {} : { reasons: r.reasons }) });
      },
      (err: unknown) => {
        res.status(503).json({ status: "not ready", ...info(), reasons: [`readiness check failed: ${err instanceof Error ? err.message : String(err)}`] });
      },
    );
  });
  const server = app.listen(port, host);
  try {
    await once(server, "listening");
  } catch (err) {
    throw listenError(err, port);
  }
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  // server.close() may be called once: drain and close share it
  const stopListening = () =>
    (closed ??= new Promise<void>((resolve, reject) => {
      server.close((err) => {
        if (err) reject(err);
        else resolve();
      });
    }));
  return {
    app,
    server,
    port: address.port,
    host: address.address,
    drain: () => {
      draining = true;
      void stopListening().catch(() => undefined);
      server.closeIdleConnections();
    },
    close: () => {
      const done = stopListening();
      server.closeAllConnections();
      return done;
    },
  };
}
