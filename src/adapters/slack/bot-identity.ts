// Who the bot is, asked once at start (auth.test). A token Slack refuses is a configuration error,
// said with the variable to fix, before anything listens; Slack being unreachable is not (the start
// goes on, /readyz says Slack is not ready, and Bolt asks again per request).
import type { WebClient } from "@slack/web-api";
import { ConfigError } from "../../app/config-error.ts";
import type { Logger } from "../../log/logger.ts";

export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

/** auth.test errors that mean the token itself is wrong, and what to do about each. */
const REFUSED_TOKEN: Readonly<Record<string, string>> = {
  invalid_auth: "is not a valid token for any workspace: copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
  not_authed: "was not accepted: copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
  token_revoked: "was revoked (the app was uninstalled or the token rotated): reinstall the app and copy its new Bot User OAuth Token",
  token_expired: "has expired (token rotation is on): set a current Bot User OAuth Token, or turn rotation off for this app",
  account_inactive: "belongs to a deactivated bot or workspace: reinstall the app in an active workspace",
};

export async function botIdentity(web: WebClient, log: Logger): Promise<BotIdentity | undefined> {
  try {
    const r = await web.auth.test();
    if (typeof r.bot_id === "string" && typeof r.user_id === "string") return { botId: r.bot_id, botUserId: r.user_id };
    return undefined;
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    const fix = typeof code === "string" ? REFUSED_TOKEN[code] : undefined;
    if (fix) throw new ConfigError("SLACK_BOT_TOKEN", `Slack refused SLACK_BOT_TOKEN (${String(code)}): it ${fix}`, { cause: err });
    log.warn({ err }, "auth.test failed at start; Slack is not ready until it answers");
    return undefined;
  }
}
