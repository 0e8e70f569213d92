// Who may post to /api/messages. With an app id: the SDK's JWT check (issuer, audience, RS256
// signing keys, expiry), then the token's serviceurl claim must name the activity's serviceUrl.
// Without one (local development): no tokens, and only callers on this machine.
import { authorizeJWT, type AuthConfiguration } from "@microsoft/agents-hosting";
import type { NextFunction, Request, RequestHandler, Response } from "express";

export function loopbackOnly(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const ip = req.socket.remoteAddress ?? "";
    if (ip === "127.0.0.1" || ip === "::1" || ip === "::ffff:127.0.0.1" || ip.startsWith("127.")) {
      next();
      return;
    }
    res.status(403).json({ error: "Teams authentication is off (no app id configured), so only local callers are served." });
  };
}

/** The SDK's validator, with anything it throws answered as 401 rather than 500. */
export function requireBotToken(authConfig: AuthConfiguration): RequestHandler {
  const check = authorizeJWT(authConfig);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.headers.authorization?.trim()) {
      res.status(401).json({ error: "authorization header not found" });
      return;
    }
    check(req, res, next).catch(() => {
      if (!res.headersSent) res.status(401).json({ error: "unauthorized" });
    });
  };
}

/**
 * Bot Framework tokens name the service they were issued for: replies (which carry the bot's own
 * token) may only go there. A token without the claim can't say where replies may go, so it is refused.
 */
export function requireServiceUrlClaim(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const claim = (req as Request & { user?: { serviceurl?: unknown } }).user?.serviceurl;
    const body = req.body as { serviceUrl?: unknown } | undefined;
    if (typeof claim !== "string" || normalise(claim) !== normalise(typeof body?.serviceUrl === "string" ? body.serviceUrl : "")) {
      res.status(401).json({ error: "the token's serviceurl claim does not match the activity's serviceUrl" });
      return;
    }
    next();
  };
}

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, "").toLowerCase();
}
