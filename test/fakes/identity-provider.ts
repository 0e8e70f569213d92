// A loopback token issuer: an RSA key, its JWKS at <authority>/discovery/v2.0/keys (where the Agents
// SDK looks for an Entra issuer's keys), and RS256 tokens signed locally — no network, no real tenant.
// servePublicHosts() also answers for login.microsoftonline.com and login.botframework.com (over TLS,
// in this process only), so the bot can run with exactly the README's variables and no authority URL.
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import tls from "node:tls";
import { close, listen } from "./loopback.ts";

/** Where the Agents SDK fetches signing keys when no authority is configured (see its buildJwksUri). */
const PUBLIC_HOSTS = new Set(["login.microsoftonline.com", "login.botframework.com"]);
const TLS_PEM = readFileSync(new URL("./tls/fake-microsoft-login.pem", import.meta.url), "utf8");

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");

export class FakeIdentityProvider {
  readonly tenant = "11111111-2222-3333-4444-555555555555";
  readonly kid = "test-key-1";
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  /** Same kid, different key: a token signed with it must fail signature checks. */
  readonly impostor: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  private server: Server | undefined;
  private publicServer: https.Server | undefined;
  private savedAgent: https.Agent | undefined;
  authority = "";
  /**
   * How the token endpoint (`/<tenant>/oauth2/v2.0/token`, for a client-secret credential) answers:
   * a token, 401 invalid_client (a wrong or expired secret) or 400 invalid_request.
   */
  tokenAnswer: "token" | 401 | 400 = "token";
  /** How the signing-keys (JWKS) endpoint answers: the keys, an error page with this status, or a dropped connection. */
  keysAnswer: "keys" | 500 | 503 | "reset" = "keys";
  /** Client-credential token requests received. */
  tokenRequests = 0;

  get issuer(): string {
    return `${this.authority}/v2.0`;
  }

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      if (req.url === `/${this.tenant}/discovery/v2.0/keys`) {
        if (this.keysAnswer === "reset") {
          req.socket.destroy();
          return;
        }
        if (this.keysAnswer !== "keys") {
          res.writeHead(this.keysAnswer, { "content-type": "text/html" }).end("<html>Service Unavailable</html>");
          return;
        }
        const jwk = { ...this.keys.publicKey.export({ format: "jwk" }), kid: this.kid, use: "sig", alg: "RS256" };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
        return;
      }
      if (req.url?.startsWith(`/${this.tenant}/v2.0/.well-known/openid-configuration`) === true) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.openIdConfiguration()));
        return;
      }
      if (req.method === "POST" && req.url?.startsWith(`/${this.tenant}/oauth2/v2.0/token`) === true) {
        this.tokenRequests += 1;
        req.resume();
        this.answerTokenRequest(res);
        return;
      }
      res.writeHead(404).end();
    });
    this.server = server;
    this.authority = `${base}/${this.tenant}`;
    return this;
  }

  /**
   * Serves the same keys as Entra (`/<tenant>/discovery/v2.0/keys`) and Bot Framework
   * (`/v1/.well-known/keys`) would, by sending this process's https connections for those two
   * hosts to a local TLS server whose certificate only this redirect trusts. Undone by close().
   */
  async servePublicHosts(): Promise<this> {
    const jwks = JSON.stringify({ keys: [{ ...this.keys.publicKey.export({ format: "jwk" }), kid: this.kid, use: "sig", alg: "RS256" }] });
    const paths = new Set([`/${this.tenant}/discovery/v2.0/keys`, "/v1/.well-known/keys"]);
    const server = https.createServer({ key: TLS_PEM, cert: TLS_PEM }, (req, res) => {
      if (paths.has(req.url ?? "")) res.writeHead(200, { "content-type": "application/json" }).end(jwks);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.publicServer = server;
    const port = (server.address() as AddressInfo).port;
    class ToFake extends https.Agent {
      override createConnection(options: tls.ConnectionOptions & { host?: string | null }, callback?: (err: Error | null, socket: Socket) => void): Socket | undefined {
        const host = options.host ?? "";
        if (!PUBLIC_HOSTS.has(host)) return (https.Agent.prototype as unknown as { createConnection: (o: unknown, cb: unknown) => Socket }).createConnection.call(this, options, callback);
        return tls.connect({ ...options, host: "127.0.0.1", port, servername: host, ca: TLS_PEM });
      }
    }
    this.savedAgent = https.globalAgent;
    https.globalAgent = new ToFake({ keepAlive: false });
    return this;
  }

  /** Entra's metadata document, naming the public host (an SDK sent here by a forwarding httpClient keeps using it). */
  private openIdConfiguration(): Record<string, unknown> {
    const host = `https://login.microsoftonline.com/${this.tenant}`;
    return {
      issuer: `${host}/v2.0`,
      token_endpoint: `${host}/oauth2/v2.0/token`,
      authorization_endpoint: `${host}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${host}/oauth2/v2.0/logout`,
      jwks_uri: `${host}/discovery/v2.0/keys`,
      response_types_supported: ["code", "id_token", "token"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
    };
  }

  private answerTokenRequest(res: import("node:http").ServerResponse): void {
    const json = { "content-type": "application/json" };
    if (this.tokenAnswer === 401) {
      res.writeHead(401, json).end(JSON.stringify({ error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", error_codes: [7000215] }));
      return;
    }
    if (this.tokenAnswer === 400) {
      res.writeHead(400, json).end(JSON.stringify({ error: "invalid_request", error_description: "AADSTS900023: Specified tenant identifier is neither a valid DNS name, nor a valid external domain.", error_codes: [900023] }));
      return;
    }
    res.writeHead(200, json).end(JSON.stringify({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: this.token({ aud: "https://management.azure.com", appid: "client" }) }));
  }

  token(claims: Record<string, unknown>, key: KeyObject = this.keys.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: this.kid }));
    const payload = b64url(JSON.stringify({ iss: this.issuer, iat: now, nbf: now - 5, exp: now + 3600, ...claims }));
    const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(key);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  async close(): Promise<void> {
    if (this.savedAgent) https.globalAgent = this.savedAgent;
    if (this.publicServer) {
      const s = this.publicServer;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => { resolve(); }));
    }
    await close(this.server);
  }
}
