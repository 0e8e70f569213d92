// What every loopback fake of a remote service needs: a server on 127.0.0.1 with a free port, a clean
// close, and a way to wait for the asynchronous call a test expects.
import { once } from "node:events";
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDefaultHttpClient, type HttpClient } from "@azure/core-rest-pipeline";

export async function listen(handler: RequestListener): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
}

/** Polls `probe` until it returns something, or fails with what was seen so far. */
export async function waitFor<T>(probe: () => T | undefined, seenSoFar: () => string, timeoutMs = 8_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out; ${seenSoFar()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The whole request body as text (the fakes record what was sent, byte for byte). */
export async function readBody(req: IncomingMessage): Promise<string> {
  let raw = "";
  req.setEncoding("utf8");
  for await (const chunk of req) raw += chunk as string;
  return raw;
}

/**
 * An httpClient for an Azure SDK client that sends every request to a loopback fake at `base`
 * (path and query kept). The SDK refuses bearer tokens on plain-http URLs, so the pipeline still
 * sees the real https URL; only the socket goes to the fake.
 */
export function forwardingHttpClient(base: string): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    sendRequest: (request) => {
      const original = new URL(request.url);
      request.url = `${base}${original.pathname}${original.search}`;
      request.allowInsecureConnection = true;
      return inner.sendRequest(request);
    },
  };
}
