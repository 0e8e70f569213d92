// Slack is on when SLACK_BOT_TOKEN is set: HTTP mode with SLACK_SIGNING_SECRET on /slack/events,
// or Socket Mode when SLACK_APP_TOKEN is also set. Secrets come only from the environment.
import { ConfigError } from "../../app/config-error.ts";

export interface SlackSettings {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  /** Web API base URL, e.g. https://slack.com/api/ (GovSlack and tests use their own). */
  readonly apiUrl: string | undefined;
}

export function readSlackSettings(env: NodeJS.ProcessEnv = process.env): SlackSettings | undefined {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!botToken) return undefined;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || undefined;
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  if (!botToken.startsWith("xoxb-")) throw new ConfigError("SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN must be a bot token (xoxb-…), from the app's OAuth & Permissions page");
  if (appToken !== undefined && !appToken.startsWith("xapp-")) throw new ConfigError("SLACK_APP_TOKEN", "SLACK_APP_TOKEN must be an app-level token (xapp-…) with connections:write, for Socket Mode");
  if (appToken === undefined && signingSecret === undefined) throw new ConfigError("SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET is required for HTTP mode (Basic Information → Signing Secret); or set SLACK_APP_TOKEN for Socket Mode");
  const apiUrl = env.SLACK_API_URL?.trim() || undefined;
  if (apiUrl !== undefined && !/^https?:\/\//.test(apiUrl)) throw new ConfigError("SLACK_API_URL", "SLACK_API_URL must be a URL such as https://slack.com/api/");
  return { botToken, signingSecret, appToken, apiUrl: apiUrl === undefined ? undefined : apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` };
}
