// Teams' row in the platform table. On unless NODE_ENV=production lacks a client id: without one it
// answers unauthenticated requests from this machine only (Agents Playground, Bot Framework Emulator). The SDK is loaded
// only when the process starts, so the table (read by configuration and `aoai ask`) stays light.
import type { Platform } from "../../app/platform.ts";
import type { TeamsAdapter } from "./teams-app.ts";
import { teamsTarget } from "./target.ts";
import { teamsLocalOnly } from "./local-only.ts";

/** The Teams adapter, and whether inbound requests need Bot Framework tokens. */
export interface RunningTeams extends TeamsAdapter {
  readonly authenticated: boolean;
}

export const teamsPlatform: Platform<RunningTeams, { readonly platform: "teams"; readonly conversation: string }> = {
  name: "teams",
  target: teamsTarget,
  targetFor: (place) => (place.channel ? { platform: "teams", conversation: place.channel } : undefined),
  configure: async ({ config, env, options }) => {
    // NODE_ENV=production (the container image) has no local-development mode: no client id, no Teams (and no SDK loaded)
    if (options.teams?.authConfig === undefined && teamsLocalOnly(env) && env.NODE_ENV === "production") return undefined;
    const { readTeamsSettings } = await import("./settings.ts");
    const settings = readTeamsSettings(options.teams?.authConfig);
    return {
      // without an app id it answers this machine only (local development)
      reachedFromOutside: settings.appId !== undefined,
      start: async ({ conversation, store, http, access, observeDelivery }) => {
        // without an app id only this machine reaches it; with one, people of the configured tenant are home
        const tenant = settings.authConfig.tenantId?.trim();
        if (settings.appId === undefined) access.setLocalOnly("teams");
        else if (tenant) access.setHome("teams", tenant);
        const [{ startTeams, TEAMS_MESSAGES_PATH }, { TeamsReportPoster }, { TeamsCards }] = await Promise.all([import("./teams-app.ts"), import("./report-poster.ts"), import("./card-activity.ts")]);
        const teams = startTeams({
          settings,
          conversation,
          store,
          http,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.teams?.outboundConnections ? { outboundConnections: options.teams.outboundConnections } : {}),
          ...(options.teams?.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.teams.inlineWaitMs }),
          ...(options.charts ? { charts: options.charts } : {}),
          ...(observeDelivery ? { observeDelivery } : {}),
        });
        const authenticated = settings.appId !== undefined;
        return {
          handle: { ...teams, authenticated },
          poster: new TeamsReportPoster(teams.adapter, store, settings.appId, config.teamsChannels, new TeamsCards(options.charts, options.logger), teams.sender),
          paths: [TEAMS_MESSAGES_PATH],
          banner: [
            authenticated
              ? `Teams: answering on ${TEAMS_MESSAGES_PATH} (Bot Framework tokens required).`
              : `WARNING: Teams authentication is OFF (no clientId configured): ${TEAMS_MESSAGES_PATH} accepts unauthenticated requests from this machine only (Agents Playground / Bot Framework Emulator). Set clientId, clientSecret and tenantId for a real Teams bot.`,
          ],
          // answers finished after their turn, then what is still waiting in a conversation's lane (the drain bounds the whole stop)
          stop: async () => {
            await teams.idle();
            await teams.sender.idle();
          },
          abandon: (reason) => teams.sender.abandon(reason),
        };
      },
    };
  },
};
