// The edge of /slack/events, in front of Bolt's ExpressReceiver. In order: a timestamp that is a
// plain integer within five minutes of now either way (Bolt accepts future, fractional and
// non-numeric ones), the signature, then the payload's shape (payload-schemas.ts). Only a request
// that passes all three reaches Bolt, which reads the raw body we keep on `req.rawBody` (its hook
// for pre-read bodies); this is the one signature check (the receiver's own is off, slack-app.ts).
import { createHmac, timingSafeEqual } from "node:crypto";
import { parse as parseForm } from "node:querystring";
import type { Request, Response, NextFunction } from "express";
import { checkPayload } from "./payload-schemas.ts";
import type { Logger } from "../../log/logger.ts";
import { sharedLogger } from "../../log/pino-logger.ts";

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** Whole seconds as digits only: no sign, fraction, exponent, spaces or leading zeros. */
const TIMESTAMP = /^[1-9][0-9]{0,11}$/;

/**
 * Slack's v0 signature: "v0=" and the hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" under the
 * signing secret, compared in constant time. Bolt's verifySlackRequest does the same through tsscmp,
 * which makes a random key and two more HMACs per call: ~60 µs against ~4 µs here, paid by every
 * request of a crowd before its acknowledgement (the secret stays a string: a Buffer key costs ~10×).
 */
export function signatureHolds(signingSecret: string, timestamp: number, body: Buffer, signature: string): boolean {
  if (signingSecret === "") return false;
  const expected = Buffer.from(`v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(body).digest("hex")}`);
  const sent = Buffer.from(signature);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/** The request's timestamp in seconds, or undefined when it is not one Slack would send now. */
export function freshTimestamp(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || !TIMESTAMP.test(header)) return undefined;
  const ts = Number(header);
  return Math.abs(ts - nowMs / 1000) <= MAX_CLOCK_SKEW_SECONDS ? ts : undefined;
}

export interface SlackRequestGuardOptions {
  readonly signingSecret: string;
  readonly bodyLimitBytes: number;
  readonly now?: () => number;
  /** Told why a request was refused or dropped (never its body): warn for signed requests of a bad shape. */
  readonly logger?: Logger;
}

class BodyTooLargeError extends Error {
  readonly code = "body_too_large";
}

export function slackRequestGuard(options: SlackRequestGuardOptions): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? sharedLogger();
  const refuse = (res: Response, status: number, reason: string) => {
    logger[status === 400 ? "warn" : "info"]({ status, reason }, "slack request refused");
    res.status(status).type("text/plain").send(status === 401 ? "" : reason);
  };
  return async (req, res, next) => {
    const ts = freshTimestamp(req.header("x-slack-request-timestamp"), now());
    const signature = req.header("x-slack-signature");
    if (ts === undefined || signature === undefined) {
      refuse(res, 401, ts === undefined ? "timestamp missing, malformed or more than five minutes from now" : "signature missing");
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, options.bodyLimitBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        res.set("connection", "close");
        refuse(res, 413, "body too large");
      } else {
        refuse(res, 400, "body could not be read");
      }
      return;
    }
    if (!signatureHolds(options.signingSecret, ts, raw, signature)) {
      refuse(res, 401, "signature mismatch");
      return;
    }
    const body = raw.toString();
    let parsed: unknown;
    try {
      parsed = parseLikeBolt(body, req.header("content-type"));
    } catch {
      refuse(res, 400, "malformed Slack request: the body is neither JSON nor a form with a JSON payload");
      return;
    }
    const verdict = checkPayload(parsed);
    if (verdict.verdict === "malformed") {
      refuse(res, 400, `malformed Slack ${verdict.kind}: ${verdict.reason}`);
      return;
    }
    if (verdict.verdict === "acknowledge") {
      logger.info({ kind: verdict.kind }, "slack request acknowledged and ignored");
      res.status(200).send();
      return;
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}

/** Bolt's ExpressReceiver parseRequestBody, so what is checked is exactly what Bolt dispatches. */
function parseLikeBolt(body: string, contentType: string | undefined): unknown {
  if (contentType === "application/x-www-form-urlencoded") {
    const form = parseForm(body);
    return typeof form.payload === "string" ? (JSON.parse(form.payload) as unknown) : form;
  }
  return JSON.parse(body) as unknown;
}

/** The whole body, or BodyTooLargeError as soon as it passes `limit` (the rest is left unread). */
function readBody(req: Request, limit: number): Promise<Buffer> {
  if (Number(req.header("content-length") ?? 0) > limit) return Promise.reject(new BodyTooLargeError("body too large"));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      reject(new BodyTooLargeError("body too large"));
    };
    req.on("data", onData);
    req.once("end", () => {
      resolve(Buffer.concat(chunks));
    });
    req.once("error", reject);
    // a client that goes away mid-body ends neither with "end" nor always with "error"; every
    // request closes, so the Error (its stack trace is ~30 µs) is made only for one that never ended
    req.once("close", () => {
      if (!req.readableEnded) reject(new Error("connection closed before the body ended"));
    });
  });
}
