// Reports in the browser playground's channel pane: `post: [{ web: true }]` in configuration.
import { z } from "zod";

declare module "../../schedules/schedule.ts" {
  interface TargetFields {
    // no address: there is one playground channel
    web: object;
  }
}

export const webTarget = z.strictObject({ web: z.literal(true) }).transform(() => ({ platform: "web" as const }));
