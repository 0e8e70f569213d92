import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const manifest = parse(readFileSync(new URL("../../../slack/manifest.yml", import.meta.url), "utf8")) as {
  features: { slash_commands: { command: string; url: string }[]; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
};

describe("the Slack app manifest", () => {
  it("declares what the bot listens to, all on /slack/events", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(["/aoai"]);
    const urls = [manifest.features.slash_commands[0]?.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    expect(urls.every((u) => u?.endsWith("/slack/events"))).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(["app_mention", "message.im"]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it("asks for the scopes the bot uses and no more", () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(["app_mentions:read", "channels:history", "chat:write", "commands", "files:write", "groups:history", "im:history"]);
  });
});
