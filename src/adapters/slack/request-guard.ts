// Checks Bolt leaves out: Bolt rejects stale timestamps but accepts ones from the future, while
// Slack's rule is "more than five minutes from local time" either way.
import type { NextFunction, Request, Response } from "express";

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export function rejectFutureTimestamps(now: () => number = Date.now) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ts = Number(req.header("x-slack-request-timestamp"));
    if (Number.isFinite(ts) && ts - now() / 1000 > MAX_CLOCK_SKEW_SECONDS) {
      res.status(401).send();
      return;
    }
    next();
  };
}
