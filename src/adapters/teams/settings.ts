// Teams credentials come from the Microsoft 365 Agents SDK's own environment variables
// (clientId, clientSecret or certificate, tenantId, managed identity; or connections__…),
// read by the SDK itself. No client id means local development: no auth, loopback only.
import { getAuthConfigWithDefaults, type AuthConfiguration } from "@microsoft/agents-hosting";

export interface TeamsSettings {
  readonly authConfig: AuthConfiguration;
  /** The bot's Microsoft App ID (the audience of inbound tokens); undefined when auth is off. */
  readonly appId: string | undefined;
}

/** `explicit` is for tests and embedding; production reads the environment through the SDK. */
export function readTeamsSettings(explicit?: AuthConfiguration): TeamsSettings {
  const authConfig = getAuthConfigWithDefaults(explicit);
  const appId = authConfig.clientId?.trim() || undefined;
  return { authConfig, appId };
}
