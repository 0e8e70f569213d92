// The platform table: one row per chat surface. Configuration's report targets (`post:` entries),
// the bot process's wiring (which adapters start, the posters reports go through), the start banner
// and where "schedule …" typed in chat posts are all derived from it. A new platform is a folder in
// src/adapters/ (its target.ts, platform.ts and adapter) plus one row here.
import { consolePlatform } from "../adapters/console/platform.ts";
import { slackPlatform } from "../adapters/slack/platform.ts";
import { teamsPlatform } from "../adapters/teams/platform.ts";
import { webPlatform } from "../adapters/web/platform.ts";
import type { AnyPlatform } from "./platform.ts";

export const PLATFORMS = [slackPlatform, teamsPlatform, consolePlatform, webPlatform] as const satisfies readonly AnyPlatform[];
