// Slack's row in the platform table. The SDK is loaded only when Slack is configured, so the table
// (read by configuration and `aoai ask`) stays light.
import type { Platform } from "../../app/platform.ts";
import type { SlackAdapter } from "./slack-app.ts";
import { tokenAccepted } from "./token-check.ts";
import { readSlackSettings } from "./settings.ts";
import { slackTarget } from "./target.ts";

export const slackPlatform: Platform<SlackAdapter, { readonly platform: "slack"; readonly channel: string }> = {
  name: "slack",
  target: slackTarget,
  targetFor: (place) => (place.channel ? { platform: "slack", channel: place.channel } : undefined),
  configure: ({ config, env, options }) => {
    const settings = readSlackSettings(env);
    if (!settings) return Promise.resolve(undefined);
    return Promise.resolve({
      // Socket Mode connects out: nothing has to reach the process
      reachedFromOutside: settings.appToken === undefined,
      start: async ({ conversation, store, http, access, observeDelivery }) => {
        const [{ startSlack, SLACK_EVENTS_PATH }, { SlackReportPoster }] = await Promise.all([import("./slack-app.ts"), import("./report-poster.ts")]);
        const charts = { ...options.charts, ...(config.slackCharts === undefined ? {} : { mode: config.slackCharts }) };
        const slack = await startSlack({ settings, conversation, store, http, charts, access, ...(observeDelivery ? { observeDelivery } : {}), ...(options.logger ? { logger: options.logger } : {}), ...(options.inlineWaitMs === undefined ? {} : { inlineWaitMs: options.inlineWaitMs }) });
        const socket = settings.appToken !== undefined;
        return {
          handle: slack,
          poster: new SlackReportPoster(slack.sender, options.logger),
          paths: socket ? [] : [SLACK_EVENTS_PATH],
          banner: [socket ? "Slack: connected in Socket Mode." : `Slack: answering on ${SLACK_EVENTS_PATH}.`],
          // what is still waiting in a channel's lane goes out first (the drain bounds the whole stop)
          stop: async () => {
            await slack.sender.idle();
            await slack.stop();
          },
          abandon: (reason) => slack.sender.abandon(reason),
          ready: tokenAccepted(slack.app.client),
        };
      },
    });
  },
};
