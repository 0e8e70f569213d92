// Every HTTP request runs under a request id (src/log/request-context.ts), so the log lines of a
// Slack event or a Teams activity — Bolt's listeners, the Azure calls, the deliveries after the
// acknowledgement — share one `reqId`. A caller's (a proxy's) X-Request-Id is kept when it is a
// plain short token; anything else could smuggle text into every log line, so it gets a new id.
import type { NextFunction, Request, Response } from "express";
import { newRequestId, withRequestId } from "../log/request-context.ts";

export const REQUEST_ID_HEADER = "x-request-id";
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The caller's id when it is safe to log as it is, else a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === "string" && SAFE_ID.test(header) ? header : newRequestId();
}

/** Runs the rest of the request (and whatever it starts) under its id, and says the id in the response. */
export function requestIds(req: Request, res: Response, next: NextFunction): void {
  const id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, id);
  withRequestId(() => {
    next();
  }, id);
}
