// Requests as Slack sends them: signed with v0 HMAC-SHA256 over "v0:<timestamp>:<raw body>".
import { createHmac } from "node:crypto";
import { request } from "node:http";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

export interface SignedRequest {
  readonly body: string;
  readonly contentType: string;
  /** Seconds; a string is sent (and signed) as is, e.g. "1e400". */
  readonly timestamp?: number | string;
  readonly secret?: string;
  readonly headers?: Record<string, string>;
}

export function sign(body: string, timestamp: number | string, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export async function sendSigned(url: string, req: SignedRequest): Promise<{ status: number; body: string; ms: number }> {
  const ts = req.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    body: req.body,
    headers: { "content-type": req.contentType, "x-slack-request-timestamp": String(ts), "x-slack-signature": sign(req.body, ts, req.secret), ...req.headers },
  });
  return { status: res.status, body: await res.text(), ms: performance.now() - started };
}

export function slashCommand(text: string, over: Record<string, string> = {}): SignedRequest {
  // Slack always sends a response_url; this one refuses connections (tests that read the answer pass their own)
  const form = new URLSearchParams({ token: "x", team_id: "T0001", team_domain: "example", channel_id: "C0001", channel_name: "ops", user_id: "U0001", user_name: "ada", command: "/aoai", text, api_app_id: "A0001", response_url: "http://127.0.0.1:9/hooks/unused", trigger_id: `trig-${Math.random().toString(36).slice(2)}`, ...over });
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded" };
}

export function eventCallback(event: Record<string, unknown>, eventId = `Ev${Math.random().toString(36).slice(2)}`): SignedRequest {
  return { body: JSON.stringify({ token: "x", team_id: "T0001", api_app_id: "A0001", type: "event_callback", event_id: eventId, event_time: 1764400000, authorizations: [{ team_id: "T0001", user_id: "UBOT", is_bot: true }], event }), contentType: "application/json" };
}

export function blockAction(payload: Record<string, unknown>): SignedRequest {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: "application/x-www-form-urlencoded" };
}

/** Like sendSigned, on a connection of its own: a server may drop a connection whose body it refused to read. */
export function sendSignedOnce(url: string, req: SignedRequest): Promise<number> {
  const ts = req.timestamp ?? Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const r = request(url, { method: "POST", agent: false, headers: { "content-type": req.contentType, "x-slack-request-timestamp": String(ts), "x-slack-signature": sign(req.body, ts, req.secret) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    r.on("error", reject);
    r.end(req.body);
  });
}
