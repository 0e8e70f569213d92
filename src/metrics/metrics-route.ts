// GET /metrics on the shared HTTP server. The server listens on every interface whenever a chat
// platform must reach it (Slack over HTTP, Teams), so the metrics are not left open to whoever can
// reach the webhooks: with METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`
// (Prometheus: `authorization: { credentials: … }`); without it, only callers on this machine that
// came through no proxy are answered. Nothing in the metrics is secret, but they say how busy the
// bot is and which commands fail.
import { timingSafeEqual } from "node:crypto";
import type { Express, Request, Response } from "express";
import { ConfigError } from "../app/config-error.ts";
import type { BotMetrics } from "./bot-metrics.ts";

export const METRICS_PATH = "/metrics";
export const METRICS_TOKEN_ENV = "METRICS_TOKEN";
/** A token anyone could guess protects nothing. */
const MIN_TOKEN_LENGTH = 16;

/** METRICS_TOKEN, when set; a ConfigError when it is too short to protect anything. */
export function metricsTokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const token = env[METRICS_TOKEN_ENV]?.trim();
  if (!token) return undefined;
  if (token.length < MIN_TOKEN_LENGTH) throw new ConfigError(METRICS_TOKEN_ENV, `${METRICS_TOKEN_ENV} must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24), or unset to serve /metrics to this machine only`);
  return token;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function allowed(req: Request, token: string | undefined): { ok: true } | { ok: false; status: number; error: string } {
  if (token !== undefined) {
    const sent = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const a = Buffer.from(sent);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b) ? { ok: true } : { ok: false, status: 401, error: "send the METRICS_TOKEN as a bearer token" };
  }
  // a local reverse proxy makes every caller look local; what it forwarded says so
  const proxied = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
  if (LOOPBACK.test(req.socket.remoteAddress ?? "") && !proxied) return { ok: true };
  return { ok: false, status: 403, error: `/metrics answers this machine only; set ${METRICS_TOKEN_ENV} to let a scraper in with a bearer token` };
}

export function mountMetrics(http: Express, metrics: BotMetrics, token: string | undefined): void {
  http.get(METRICS_PATH, (req: Request, res: Response) => {
    const verdict = allowed(req, token);
    if (!verdict.ok) {
      res.status(verdict.status).json({ error: verdict.error });
      return;
    }
    metrics.text().then(
      (text) => {
        res.type(metrics.contentType).send(text);
      },
      (err: unknown) => {
        res.status(500).type("text/plain").send(`metrics could not be collected: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  });
}
