// Whether Teams would run in local-development mode, read without the Agents SDK: deciding that
// Teams is off (NODE_ENV=production without a client id) or that the playground is wanted must not
// load the SDK's ~200 modules (about 30 MiB).

/** No client id in the variables the SDK reads: Teams would run in local-development mode. */
export function teamsLocalOnly(env: NodeJS.ProcessEnv): boolean {
  const ids = [env.clientId, env.connections__serviceConnection__settings__clientId, env.MicrosoftAppId];
  return ids.every((id) => id === undefined || id.trim() === "");
}
