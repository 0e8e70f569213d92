// Reports on the bot's own stdout: `post: [{ console: true }]` in configuration.
import { z } from "zod";

declare module "../../schedules/schedule.ts" {
  interface TargetFields {
    // no address: there is one console
    console: object;
  }
}

export const consoleTarget = z.strictObject({ console: z.literal(true) }).transform(() => ({ platform: "console" as const }));
