// Teams credentials come from the Microsoft 365 Agents SDK's own environment variables
// (clientId, clientSecret or certificate, tenantId, managed identity; or connections__…),
// read by the SDK itself. No client id means local development: no auth, loopback only.
import { getAuthConfigWithDefaults, type AuthConfiguration } from "@microsoft/agents-hosting";

export interface TeamsSettings {
  readonly authConfig: AuthConfiguration;
  /** The bot's Microsoft App ID (the audience of inbound tokens); undefined when auth is off. */
  readonly appId: string | undefined;
}

export { teamsLocalOnly } from "./local-only.ts";

/** `explicit` is for tests and embedding; production reads the environment through the SDK. */
export function readTeamsSettings(explicit?: AuthConfiguration): TeamsSettings {
  const authConfig = withIssuerCheck(getAuthConfigWithDefaults(explicit));
  const appId = authConfig.clientId?.trim() || undefined;
  return { authConfig, appId };
}

/**
 * The SDK checks a token's `iss` only when `validateIssuer` is set, and leaves it off by default, so a
 * token signed by the right keys for the right audience was accepted whoever issued it. Here it is
 * always on, for every connection, and cannot be turned off: the accepted issuers are the SDK's
 * defaults for the configured tenant (Bot Framework `https://api.botframework.com`,
 * `https://sts.windows.net/<tenant>/`, `<authority>/<tenant>/v2.0`, or `issuers` when configured)
 * plus Microsoft's own first-party tenants, which the SDK always adds.
 */
function withIssuerCheck(config: AuthConfiguration): AuthConfiguration {
  const connections = config.connections === undefined ? undefined : new Map([...config.connections].map(([name, c]) => [name, { ...c, validateIssuer: true }]));
  return { ...config, validateIssuer: true, ...(connections === undefined ? {} : { connections }) };
}
