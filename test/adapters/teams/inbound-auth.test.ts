import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { loopbackOnly, requireServiceUrlClaim } from "../../../src/adapters/teams/inbound-auth.ts";

/** Runs one middleware on a request shape and says whether it let the request through, or with which status it answered. */
function run(middleware: ReturnType<typeof loopbackOnly>, req: Record<string, unknown>): number | "next" {
  let status: number | "next" = "next";
  const res = { status: (code: number) => ({ json: () => { status = code; } }) } as unknown as Response;
  middleware(req as unknown as Request, res, () => undefined);
  return status;
}

describe("without an app id, only this machine may call", () => {
  it.each(["127.0.0.1", "::1", "::ffff:127.0.0.1"])("lets %s through", (ip) => {
    expect(run(loopbackOnly(), { socket: { remoteAddress: ip } })).toBe("next");
  });

  it.each(["10.0.0.7", "192.168.1.20", "::ffff:10.0.0.7", "2001:db8::1", undefined])("refuses %s with 403", (ip) => {
    expect(run(loopbackOnly(), { socket: { remoteAddress: ip } })).toBe(403);
  });
});

describe("the serviceurl claim", () => {
  const claim = (serviceurl: string, serviceUrl: string) => run(requireServiceUrlClaim(), { user: { serviceurl }, body: { serviceUrl } });

  it("accepts the service the token was issued for, trailing slash or not", () => {
    expect(claim("https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/emea")).toBe("next");
  });

  it("refuses a token that does not say where replies may go", () => {
    expect(run(requireServiceUrlClaim(), { user: { aud: "app" }, body: { serviceUrl: "https://attacker.example/" } })).toBe(401);
  });

  it("refuses replies to another service with 401", () => {
    expect(claim("https://smba.trafficmanager.net/emea/", "https://attacker.example/")).toBe(401);
    expect(claim("https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/amer/")).toBe(401);
  });
});
