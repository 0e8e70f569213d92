// The browser playground's row in the platform table: a page on this machine that talks to the one
// conversation entry and shows each answer as Slack and Teams would, with a channel pane for
// reports (`post: [{ web: true }]`; "schedule …" typed there posts there too). On when no chat
// platform has credentials (no SLACK_BOT_TOKEN, no Teams clientId), so `npm start` with nothing set
// up is something to try; PLAYGROUND=1 turns it on anyway, PLAYGROUND=0 off.
import type { Platform, PlatformSetup } from "../../app/platform.ts";
import { ConfigError } from "../../app/config-error.ts";
import { sharedLogger } from "../../log/pino-logger.ts";
import type { RunningPlayground } from "./playground.ts";
import { playgroundDemoSchedule } from "./demo-schedule.ts";
import { readSlackSettings } from "../slack/settings.ts";
import { webTarget } from "./target.ts";
import { teamsLocalOnly } from "../teams/local-only.ts";

export const PLAYGROUND_ENV = "PLAYGROUND";

export const webPlatform: Platform<RunningPlayground, { readonly platform: "web" }> = {
  name: "web",
  target: webTarget,
  targetFor: () => ({ platform: "web" }),
  configure: async (setup) => {
    if (!(await playgroundWanted(setup))) return undefined;
    const { options, config } = setup;
    return {
      demoSchedules: [playgroundDemoSchedule(config.timezone)],
      start: async ({ conversation, http, port }) => {
        const [{ mountPlayground }, { ReportFeed }, { ChartPictures }, { Renderer }, { WebReportPoster }, { renderChartPng }] = await Promise.all([import("./playground.ts"), import("./report-feed.ts"), import("./chart-pictures.ts"), import("./renderings.ts"), import("./report-poster.ts"), import("../chart-png.ts")]);
        const logger = (options.logger ?? sharedLogger()).child({ component: "playground" });
        const feed = new ReportFeed();
        const renderer = new Renderer(new ChartPictures({ render: renderChartPng }, logger), logger);
        const playground = mountPlayground({ http, conversation, feed, renderer, logger });
        return {
          handle: playground,
          poster: new WebReportPoster(feed, renderer),
          paths: ["/", "/playground/…"],
          banner: [`Playground: open http://127.0.0.1:${port}/ in a browser on this machine (answers as Slack and Teams show them, reports in its channel pane; PLAYGROUND=0 turns it off).`],
          stop: () => {
            playground.stop();
            return Promise.resolve();
          },
        };
      },
    };
  },
};

/** PLAYGROUND=1/0 decides; unset, the playground runs when neither Slack nor Teams has credentials. */
async function playgroundWanted({ env, options }: PlatformSetup): Promise<boolean> {
  const setting = env[PLAYGROUND_ENV]?.trim();
  if (setting === "1") return true;
  if (setting === "0") return false;
  if (setting !== undefined && setting !== "") throw new ConfigError(PLAYGROUND_ENV, `${PLAYGROUND_ENV} must be 1 (serve the browser playground) or 0 (don't), not "${setting}"`);
  if (readSlackSettings(env) !== undefined) return false;
  // without explicit settings, the variables say it (the SDK itself refuses to read none in production)
  if (options.teams?.authConfig === undefined) return teamsLocalOnly(env);
  // the Agents SDK reads Teams' credentials itself (clientId…), as the Teams row does
  const { readTeamsSettings } = await import("../teams/settings.ts");
  return readTeamsSettings(options.teams.authConfig).appId === undefined;
}
