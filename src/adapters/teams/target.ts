// Where a Teams report goes: a conversation id, or a name the admin mapped under teams.channels.
// `post: [{ teams: "19:…@thread.tacv2" }]` in configuration.
import { z } from "zod";

declare module "../../schedules/schedule.ts" {
  interface TargetFields {
    teams: { conversation: string };
  }
}

export const teamsTarget = z.strictObject({ teams: z.string().min(1) }).transform((e) => ({ platform: "teams" as const, conversation: e.teams }));
