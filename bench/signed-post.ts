// The bench's Slack: signed POSTs over keep-alive node:http connections. The load generator runs on
// the same 2 cores as the bot, so its own CPU is in every ack figure: fetch (undici's WHATWG layer)
// costs ~0.6 ms per request here, node:http ~0.2 ms, against ~0.2 ms for an express endpoint that
// acknowledges at once. BENCH_CLIENT=fetch measures with test/fakes' fetch client instead.
import { Agent, request } from "node:http";
import { sendSigned, sign, type SignedRequest } from "../test/fakes/slack-request.ts";

export interface Acknowledged {
  readonly status: number;
  /** From handing the request to the socket layer to the response's last byte. */
  readonly ms: number;
}

/** One connection per request in flight, kept for the next crowd, as Slack's senders keep theirs. */
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function viaHttp(url: string, req: SignedRequest): Promise<Acknowledged> {
  const ts = Math.floor(Date.now() / 1000);
  const headers = { "content-type": req.contentType, "content-length": String(Buffer.byteLength(req.body)), "x-slack-request-timestamp": String(ts), "x-slack-signature": sign(req.body, ts, req.secret) };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const r = request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.once("end", () => {
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started });
      });
      res.once("error", reject);
    });
    r.once("error", reject);
    r.end(req.body);
  });
}

const CLIENTS: Readonly<Record<string, (url: string, req: SignedRequest) => Promise<Acknowledged>>> = { http: viaHttp, fetch: sendSigned };

export const BENCH_CLIENT = process.env.BENCH_CLIENT ?? "http";

export function signedPost(url: string, req: SignedRequest): Promise<Acknowledged> {
  const client = CLIENTS[BENCH_CLIENT];
  if (!client) throw new Error(`BENCH_CLIENT must be one of ${Object.keys(CLIENTS).join(", ")}, not "${BENCH_CLIENT}"`);
  return client(url, req);
}

/** Closes the kept connections (the bench process exits without waiting for their idle timeout). */
export function closeConnections(): void {
  agent.destroy();
}
