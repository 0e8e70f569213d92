// A loopback token issuer: an RSA key, its JWKS at <authority>/discovery/v2.0/keys (where the Agents
// SDK looks for an Entra issuer's keys), and RS256 tokens signed locally — no network, no real tenant.
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { Server } from "node:http";
import { close, listen } from "./loopback.ts";

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");

export class FakeIdentityProvider {
  readonly tenant = "11111111-2222-3333-4444-555555555555";
  readonly kid = "test-key-1";
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  /** Same kid, different key: a token signed with it must fail signature checks. */
  readonly impostor: KeyObject = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  private server: Server | undefined;
  authority = "";

  get issuer(): string {
    return `${this.authority}/v2.0`;
  }

  async start(): Promise<this> {
    const { server, base } = await listen((req, res) => {
      if (req.url === `/${this.tenant}/discovery/v2.0/keys`) {
        const jwk = { ...this.keys.publicKey.export({ format: "jwk" }), kid: this.kid, use: "sig", alg: "RS256" };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
        return;
      }
      res.writeHead(404).end();
    });
    this.server = server;
    this.authority = `${base}/${this.tenant}`;
    return this;
  }

  token(claims: Record<string, unknown>, key: KeyObject = this.keys.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: this.kid }));
    const payload = b64url(JSON.stringify({ iss: this.issuer, iat: now, nbf: now - 5, exp: now + 3600, ...claims }));
    const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(key);
    return `${header}.${payload}.${b64url(signature)}`;
  }

  close(): Promise<void> {
    return close(this.server);
  }
}
