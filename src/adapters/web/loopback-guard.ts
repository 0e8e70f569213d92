// The playground answers anyone who can reach it without signing in, so it is served to this
// machine only, even when the server listens on every interface: the caller's address must be
// loopback (the socket's, never a forwarded header), the Host must be a loopback name (a web page
// on another site that rebinds its DNS name to 127.0.0.1 still sends its own name), and a browser's
// Origin, when sent, must be the playground itself (another site's form cannot post questions).
import type { NextFunction, Request, RequestHandler, Response } from "express";

const LOOPBACK_NAMES = new Set(["localhost", "[::1]", "::1"]);

/** 127.0.0.0/8, ::1, and IPv4 loopback as an IPv6-mapped address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** "127.0.0.1:3978", "localhost", "[::1]:3978" → whether it names this machine. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host === "") return false;
  const name = (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0] ?? "").toLowerCase();
  return LOOPBACK_NAMES.has(name) || name.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Why a request is refused, or undefined when it may be served. */
export function refusal(req: Pick<Request, "headers"> & { readonly socket: { readonly remoteAddress?: string | undefined } }): string | undefined {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return "the playground is served to this machine only (open it at http://127.0.0.1 on the machine running the bot)";
  const host = req.headers.host;
  if (!isLoopbackHost(host)) return "the playground answers only requests addressed to 127.0.0.1 or localhost";
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host ?? ""}`) return "the playground answers only its own page";
  return undefined;
}

export function loopbackOnly(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const why = refusal(req);
    if (why === undefined) {
      next();
      return;
    }
    res.status(403).type("text/plain").send(`403 Forbidden: ${why}.\n`);
  };
}
